package dev.searchsync.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;

import java.io.Serializable;
import java.net.URI;
import java.util.Objects;

/** Where and as whom the job's AWS clients connect; serializable so it travels to every TaskManager. */
public final class AwsClientSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How clients find credentials. */
    public enum CredentialsProvider {
        /** The SDK's default chain: on MSF, the application's IAM role. */
        DEFAULT,
        /** A fixed key pair from the configuration; meant for local emulators. */
        STATIC
    }

    private final String region;
    private final URI endpoint;
    private final CredentialsProvider credentialsProvider;
    private final String accessKeyId;
    private final String secretAccessKey;

    public AwsClientSettings(
            String region,
            URI endpoint,
            CredentialsProvider credentialsProvider,
            String accessKeyId,
            String secretAccessKey) {
        this.region = region;
        this.endpoint = endpoint;
        this.credentialsProvider = Objects.requireNonNull(credentialsProvider);
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    /** A local emulator at {@code endpoint} with a dummy key pair. */
    public static AwsClientSettings local(URI endpoint, String region) {
        return new AwsClientSettings(region, endpoint, CredentialsProvider.STATIC, "local", "local");
    }

    public String region() {
        return region;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Applies region, endpoint, credentials and the HTTP client to any SDK v2 client builder. */
    public <B extends AwsClientBuilder<B, C>, C> B configure(B builder) {
        if (region != null) {
            builder.region(Region.of(region));
        }
        if (endpoint != null) {
            builder.endpointOverride(endpoint);
        }
        builder.credentialsProvider(credentials());
        return builder;
    }

    public ApacheHttpClient.Builder httpClient() {
        return ApacheHttpClient.builder();
    }

    private AwsCredentialsProvider credentials() {
        if (credentialsProvider == CredentialsProvider.STATIC) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
        }
        return DefaultCredentialsProvider.create();
    }

    @Override
    public String toString() {
        // Never the key pair.
        return "AwsClientSettings{region=" + region + ", endpoint=" + endpoint + ", credentials="
                + credentialsProvider + '}';
    }
}
