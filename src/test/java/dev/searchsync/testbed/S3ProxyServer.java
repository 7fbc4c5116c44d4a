package dev.searchsync.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible endpoint (S3Proxy on the local file system) in a child process, so the job's S3
 * calls are signed and checked with SigV4 like against AWS; a separate process keeps S3Proxy's Jetty
 * and its other libraries off the test class path.
 */
public final class S3ProxyServer extends ChildProcessServer {

    private static final String ACCESS_KEY = "AKIASEARCHSYNCTESTBED";
    private static final String SECRET_KEY = "searchsync/testbed/secret/key/0123456789";
    private static final String REGION = "us-east-1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path jar;
    private final HttpClient probe = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private S3Client client;

    /** A server from target/testbed/s3proxy.jar; nothing happens until {@link #start()}. */
    public S3ProxyServer() {
        this(TestbedSupport.requireArtifact("s3proxy.jar"));
    }

    public S3ProxyServer(Path jar) {
        super("S3Proxy", "s3proxy", 1, READY_TIMEOUT, Duration.ofMillis(100));
        this.jar = jar;
    }

    /** Folders for the blobs and for S3Proxy's scratch files, inside the folder {@link #close()} deletes. */
    @Override
    protected void prepare() {
        try {
            Files.createDirectories(tempDir().resolve("blobs"));
            Files.createDirectories(tempDir().resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the server for good, closes the shared client and deletes the temporary folder. */
    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
        super.close();
    }

    @Override
    protected String address() {
        return endpoint().toString();
    }

    /** {@code http://127.0.0.1:PORT}, for path-style clients. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return port(0);
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    public String region() {
        return REGION;
    }

    /** A client shared by all callers and closed with the server: do not close it yourself. */
    public synchronized S3Client client() {
        if (client == null) {
            client = newClient(ACCESS_KEY, SECRET_KEY);
        }
        return client;
    }

    /** A client with other credentials (e.g. a wrong secret to see a rejection); the caller closes it. */
    public S3Client newClient(String accessKey, String secretKey) {
        return S3Client.builder()
                .endpointOverride(endpoint())
                .region(Region.of(REGION))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClientBuilder(ApacheHttpClient.builder())
                .build();
    }

    public void createBucket(String name) {
        client().createBucket(b -> b.bucket(name));
    }

    /** Writes the properties for the current port (they name the endpoint) and returns the java command. */
    @Override
    protected ProcessBuilder launchCommand() {
        Path tempDir = tempDir();
        Path properties = tempDir.resolve("s3proxy.properties");
        String endpoint = endpoint().toString();
        List<String> lines = List.of(
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem-nio2",
                "jclouds.identity=testbed",
                "jclouds.credential=testbed",
                "jclouds.filesystem.basedir=" + tempDir.resolve("blobs"));
        try {
            Files.write(properties, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> command = List.of(TestbedSupport.currentJavaBinary(),
                "-Xmx256m",
                "-XX:-UsePerfData",
                // Keeps its scratch files inside our temp folder, which close() deletes.
                "-Djava.io.tmpdir=" + tempDir.resolve("tmp"),
                "-jar", jar.toString(),
                "--properties", properties.toString());
        return new ProcessBuilder(command).directory(tempDir.toFile());
    }

    /** Any HTTP answer (an unsigned request gets 403) means Jetty is serving. */
    @Override
    protected boolean answers() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/"))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        try {
            probe.send(request, HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for S3Proxy", e);
        }
    }
}
