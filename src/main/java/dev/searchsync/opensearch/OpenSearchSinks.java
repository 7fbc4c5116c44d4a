package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchConfig;
import dev.searchsync.model.DocumentAction;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.opensearch.sink.Opensearch2Sink;
import org.apache.flink.connector.opensearch.sink.Opensearch2SinkBuilder;
import org.apache.http.HttpHost;

import java.net.URI;
import java.util.Locale;

/** Builds the job's OpenSearch sink from its configuration, so the job and the tests run the very same sink. */
public final class OpenSearchSinks {
    private OpenSearchSinks() {}

    /**
     * AT_LEAST_ONCE: every checkpoint waits until all pending actions are answered, and a replay after a restart is
     * harmless because each action carries its external version (or, a create, its event's id). Actions OpenSearch
     * refuses for their content go to {@code rejected}.
     */
    public static Opensearch2Sink<DocumentAction> create(OpenSearchConfig config,
            RejectedActionHandler.Factory rejected) {
        Opensearch2SinkBuilder<DocumentAction> builder = new Opensearch2SinkBuilder<DocumentAction>()
                .setHosts(hosts(config))
                .setEmitter(new DocumentEmitter())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setBulkFlushMaxActions(config.bulkMaxActions())
                .setBulkFlushMaxSizeMb(config.bulkMaxSizeMb())
                .setBulkFlushInterval(config.bulkFlushIntervalMs())
                .setRestClientFactory(new AuthenticatingRestClientFactory(config))
                .setBulkResponseInspectorFactory(BulkOutcomeInspector.factory(rejected));
        // No connector back-off (its default, NONE): retries happen under the REST client (RetryingBulkHttpClient).
        // The connector's would answer items out of request order, and retries neither 5xx nor a bulk with any
        // failure other than 429.
        return builder.build();
    }

    /** The configured endpoints; a URL without a port keeps none, so the Host header the signature covers has none. */
    static HttpHost[] hosts(OpenSearchConfig config) {
        return config.endpoints().stream().map(OpenSearchSinks::host).toArray(HttpHost[]::new);
    }

    private static HttpHost host(URI endpoint) {
        return new HttpHost(endpoint.getHost(), endpoint.getPort(), endpoint.getScheme().toLowerCase(Locale.ROOT));
    }
}
