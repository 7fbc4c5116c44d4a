package dev.searchsync.opensearch;

import dev.searchsync.config.DeadLetterConfig;
import dev.searchsync.config.OpenSearchConfig;
import dev.searchsync.document.DocumentChange;

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
     * harmless because each action carries its external version.
     */
    public static Opensearch2Sink<DocumentChange> create(OpenSearchConfig config) {
        return create(config, null);
    }

    /**
     * As {@link #create(OpenSearchConfig)}, with documents OpenSearch rejects written as dead letters under
     * {@code deadLetters}' path instead of failing the job (null: fail the job).
     */
    public static Opensearch2Sink<DocumentChange> create(OpenSearchConfig config, DeadLetterConfig deadLetters) {
        Opensearch2SinkBuilder<DocumentChange> builder = new Opensearch2SinkBuilder<DocumentChange>()
                .setHosts(hosts(config))
                .setEmitter(new DocumentEmitter())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setBulkFlushMaxActions(config.bulkMaxActions())
                .setBulkFlushMaxSizeMb(config.bulkMaxSizeMb())
                .setBulkFlushInterval(config.bulkFlushIntervalMs())
                .setRestClientFactory(new AuthenticatingRestClientFactory(config))
                .setBulkResponseInspectorFactory(deadLetters == null
                        ? VersionConflictInspector.factory()
                        : VersionConflictInspector.factory(deadLetters));
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
