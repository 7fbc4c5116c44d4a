package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchConfig;

import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.client.CredentialsProvider;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.impl.nio.client.HttpAsyncClientBuilder;
import org.opensearch.client.RestClientBuilder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Configures every OpenSearch REST client of the job (the sink's, on each TaskManager, the index bootstrap's and the
 * reduced retry's) with the configured authentication and TLS: always verified against the JVM trust store, with no
 * switch to turn that off.
 */
public final class AuthenticatingRestClientFactory {

    private final OpenSearchConfig config;

    public AuthenticatingRestClientFactory(OpenSearchConfig config) {
        this.config = Objects.requireNonNull(config);
    }

    /** Sets up {@code builder}'s HTTP client: TLS, authentication, and bulk retries under them. */
    public void configure(RestClientBuilder builder) {
        // Bulks OpenSearch cannot take at the moment are sent again (each retry signed anew) before the sink sees an
        // answer.
        BulkRetryPolicy retries = new BulkRetryPolicy(config.backoffMaxRetries(), config.backoffInitialDelayMs(),
                config.backoffMaxDelayMs());
        builder.setHttpClientConfigCallback(
                http -> RetryingBulkHttpClient.wrapping(configureHttpClient(http), retries));
    }

    /** Applies TLS and authentication to the HTTP client under the REST client. */
    HttpAsyncClientBuilder configureHttpClient(HttpAsyncClientBuilder http) {
        http.setSSLContext(jvmDefaultTls());
        http.setSSLHostnameVerifier(new DefaultHostnameVerifier());
        switch (config.authType()) {
            case BASIC:
                http.setDefaultCredentialsProvider(basicCredentials());
                break;
            case AWS_SIGV4:
                http.addInterceptorLast(new SigV4Interceptor(SharedAwsCredentials.PROVIDER, region(),
                        config.awsService()));
                break;
            case NONE:
                break;
            default:
                throw new IllegalStateException("unhandled auth type " + config.authType());
        }
        return http;
    }

    private CredentialsProvider basicCredentials() {
        // The REST client sends these preemptively to its configured hosts (it seeds an auth cache per host).
        BasicCredentialsProvider provider = new BasicCredentialsProvider();
        provider.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(config.username(), config.password()));
        return provider;
    }

    private String region() {
        if (config.awsRegion().isPresent()) {
            return config.awsRegion().get();
        }
        try {
            return new DefaultAwsRegionProviderChain().getRegion().id();
        } catch (SdkClientException e) {
            throw new IllegalStateException("Cannot sign OpenSearch requests: property group 'opensearch' has no"
                    + " key 'aws.region' and the AWS SDK default region chain found none (" + e.getMessage()
                    + "); set 'aws.region'", e);
        }
    }

    private static SSLContext jvmDefaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no default TLS context", e);
        }
    }

    @Override
    public String toString() {
        return "AuthenticatingRestClientFactory{" + config.authType() + '}';
    }

    /**
     * One default credentials chain per class loader, like the SDK's own shared instance (whose factory method is
     * deprecated): each REST client asking for a chain of its own would leak its refresh threads.
     */
    private static final class SharedAwsCredentials {
        static final AwsCredentialsProvider PROVIDER = DefaultCredentialsProvider.builder().build();
    }
}
