package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchConfig;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.DocumentReduction;

import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.opensearch.sink.Opensearch2Sink;
import org.apache.flink.connector.opensearch.sink.Opensearch2SinkBuilder;
import org.apache.flink.connector.opensearch.sink.RestClientFactory;
import org.apache.http.HttpHost;
import org.opensearch.client.RestClient;
import org.opensearch.client.RestClientBuilder;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

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
        return create(config, DocumentReduction.NONE, rejected);
    }

    /**
     * Like {@link #create(OpenSearchConfig, RejectedActionHandler.Factory)}, but an action refused for its content
     * is first sent again in the smaller forms {@code reduction} allows ({@link ReducedRetry}); only what is still
     * refused with nothing left to drop goes to {@code rejected}.
     */
    public static Opensearch2Sink<DocumentAction> create(OpenSearchConfig config, DocumentReduction reduction,
            RejectedActionHandler.Factory rejected) {
        RejectedActionHandler.Factory refused = reduction == DocumentReduction.NONE ? rejected
                : ReducedRetry.factory(config, reduction, rejected);
        Opensearch2SinkBuilder<DocumentAction> builder = new Opensearch2SinkBuilder<DocumentAction>()
                .setHosts(hosts(config))
                .setEmitter(new DocumentEmitter())
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .setBulkFlushMaxActions(config.bulkMaxActions())
                .setBulkFlushMaxSizeMb(config.bulkMaxSizeMb())
                .setBulkFlushInterval(config.bulkFlushIntervalMs())
                .setRestClientFactory(new AuthenticatingRestClientFactory(config))
                .setBulkResponseInspectorFactory(BulkOutcomeInspector.factory(refused));
        // No connector back-off (its default, NONE): retries happen under the REST client (RetryingBulkHttpClient).
        // The connector's would answer items out of request order, and retries neither 5xx nor a bulk with any
        // failure other than 429.
        return builder.build();
    }

    /**
     * A REST client outside the sink (the index bootstrap's, the reduced retry's) with the same hosts, TLS,
     * authentication and bulk handling as the sink's.
     */
    static RestClientBuilder restClient(OpenSearchConfig config) {
        RestClientBuilder builder = RestClient.builder(hosts(config));
        new AuthenticatingRestClientFactory(config).configureRestClientBuilder(builder, NoConnectorSettings.INSTANCE);
        return builder;
    }

    /** The configured endpoints; a URL without a port keeps none, so the Host header the signature covers has none. */
    static HttpHost[] hosts(OpenSearchConfig config) {
        return config.endpoints().stream().map(OpenSearchSinks::host).toArray(HttpHost[]::new);
    }

    private static HttpHost host(URI endpoint) {
        return new HttpHost(endpoint.getHost(), endpoint.getPort(), endpoint.getScheme().toLowerCase(Locale.ROOT));
    }

    /** The connector's own client settings, which the bootstrap does not use (it has none to give). */
    private enum NoConnectorSettings implements RestClientFactory.RestClientConfig {
        INSTANCE;

        @Override
        public String getUsername() {
            return null;
        }

        @Override
        public String getPassword() {
            return null;
        }

        @Override
        public Integer getConnectionRequestTimeout() {
            return null;
        }

        @Override
        public Integer getConnectionTimeout() {
            return null;
        }

        @Override
        public Integer getSocketTimeout() {
            return null;
        }

        @Override
        public String getConnectionPathPrefix() {
            return null;
        }

        @Override
        public Optional<Boolean> isAllowInsecure() {
            return Optional.empty();
        }
    }
}
