package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchConfig;
import dev.searchsync.model.DocumentReduction;

import org.apache.http.HttpHost;
import org.opensearch.client.RestClient;
import org.opensearch.client.RestClientBuilder;

import java.net.URI;
import java.util.Locale;

/** Builds the job's OpenSearch sink from its configuration, so the job and the tests run the very same sink. */
public final class OpenSearchSinks {
    private OpenSearchSinks() {}

    /** The sink; actions OpenSearch refuses for their content go to {@code rejected}. */
    public static BulkSink create(OpenSearchConfig config, RejectedActionHandler.Factory rejected) {
        return create(config, DocumentReduction.NONE, rejected);
    }

    /**
     * Like {@link #create(OpenSearchConfig, RejectedActionHandler.Factory)}, but an action refused for its content
     * is first sent again in the smaller forms {@code reduction} allows ({@link ReducedRetry}); only what is still
     * refused with nothing left to drop goes to {@code rejected}.
     */
    public static BulkSink create(OpenSearchConfig config, DocumentReduction reduction,
            RejectedActionHandler.Factory rejected) {
        return new BulkSink(config, reduction == DocumentReduction.NONE ? rejected
                : ReducedRetry.factory(config, reduction, rejected));
    }

    /**
     * A REST client with the configured hosts, TLS, authentication and bulk retries: the sink's on each writer, the
     * index bootstrap's and the reduced retry's.
     */
    static RestClientBuilder restClient(OpenSearchConfig config) {
        RestClientBuilder builder = RestClient.builder(hosts(config));
        new AuthenticatingRestClientFactory(config).configure(builder);
        return builder;
    }

    /** The configured endpoints; a URL without a port keeps none, so the Host header the signature covers has none. */
    static HttpHost[] hosts(OpenSearchConfig config) {
        return config.endpoints().stream().map(OpenSearchSinks::host).toArray(HttpHost[]::new);
    }

    private static HttpHost host(URI endpoint) {
        return new HttpHost(endpoint.getHost(), endpoint.getPort(), endpoint.getScheme().toLowerCase(Locale.ROOT));
    }
}
