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
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible endpoint (S3Proxy on the local file system) in a child process, so the job's S3
 * calls are signed and checked with SigV4 like against AWS; a separate process keeps S3Proxy's Jetty
 * 12.1 away from DynamoDB Local's Jetty 12.0 in the test JVM.
 */
public final class S3ProxyServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(S3ProxyServer.class);

    private static final String ACCESS_KEY = "AKIASEARCHSYNCTESTBED";
    private static final String SECRET_KEY = "searchsync/testbed/secret/key/0123456789";
    private static final String REGION = "us-east-1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int BIND_ATTEMPTS = 3;

    private final Path jar;
    private final HttpClient probe = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    private Path tempDir;
    private Path logFile;
    private int port;
    private Process process;
    private S3Client client;
    private Thread shutdownHook;
    private boolean closed;

    /** A server from target/testbed/s3proxy.jar; nothing happens until {@link #start()}. */
    public S3ProxyServer() {
        this(TestbedSupport.requireArtifact("s3proxy.jar"));
    }

    public S3ProxyServer(Path jar) {
        this.jar = jar;
    }

    /** Starts S3Proxy with SigV2/V4 authentication and waits until it answers HTTP. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("S3Proxy test server was closed");
        }
        if (isRunning()) {
            return;
        }
        long started = System.nanoTime();
        if (tempDir == null) {
            tempDir = TestbedSupport.createTempDir("s3proxy");
            shutdownHook = TestbedSupport.addShutdownHook("s3proxy-testbed", this::closeQuietly);
            logFile = tempDir.resolve("s3proxy.log");
            try {
                Files.createDirectories(tempDir.resolve("blobs"));
                Files.createDirectories(tempDir.resolve("tmp"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        boolean samePort = port != 0;
        for (int attempt = 1; ; attempt++) {
            if (!samePort) {
                port = TestbedSupport.freeLoopbackPorts(1)[0];
            }
            if (launchAndAwaitReady() || samePort || attempt == BIND_ATTEMPTS) {
                break;
            }
            LOG.info("S3Proxy lost a race for its port; retrying on a new one");
        }
        if (!isRunning()) {
            throw new IllegalStateException("S3Proxy could not bind port " + port + "; last lines of " + logFile
                    + ":\n" + TestbedSupport.tail(logFile, 50));
        }
        LOG.info("S3Proxy ready at {} in {} ms", endpoint(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Stops the process but keeps its blobs and port, so {@link #start()} resumes where it left off. */
    public synchronized void stop() {
        if (process != null) {
            TestbedSupport.destroyTree(process, STOP_GRACE);
            process = null;
        }
    }

    /** Stops the server for good, closes the shared client and deletes the temporary folder. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        TestbedSupport.removeShutdownHook(shutdownHook);
        if (client != null) {
            client.close();
            client = null;
        }
        stop();
        TestbedSupport.deleteRecursively(tempDir);
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** {@code http://127.0.0.1:PORT}, for path-style clients. */
    public synchronized URI endpoint() {
        if (port == 0) {
            throw new IllegalStateException("S3Proxy test server has not been started");
        }
        return URI.create("http://127.0.0.1:" + port);
    }

    public synchronized int port() {
        endpoint();
        return port;
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

    public synchronized Path logFile() {
        return logFile;
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

    private boolean launchAndAwaitReady() {
        Path properties = tempDir.resolve("s3proxy.properties");
        String endpoint = "http://127.0.0.1:" + port;
        List<String> lines = List.of(
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + ACCESS_KEY,
                "s3proxy.credential=" + SECRET_KEY,
                "jclouds.provider=filesystem-nio2",
                "jclouds.identity=testbed",
                "jclouds.credential=testbed",
                "jclouds.filesystem.basedir=" + tempDir.resolve("blobs"));
        long logOffset;
        try {
            Files.write(properties, lines, StandardCharsets.UTF_8);
            logOffset = Files.exists(logFile) ? Files.size(logFile) : 0;
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
        try {
            process = new ProcessBuilder(command)
                    .directory(tempDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                int exit = process.exitValue();
                process = null;
                String newLog = newLog(logOffset);
                if (newLog.contains("BindException") || newLog.contains("Address already in use")) {
                    return false;
                }
                throw new IllegalStateException("S3Proxy exited with code " + exit + " before it was ready; last lines of "
                        + logFile + ":\n" + TestbedSupport.tail(logFile, 50));
            }
            if (answersHttp(endpoint)) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException("S3Proxy was not ready within " + READY_TIMEOUT.toSeconds()
                        + " s; last lines of " + logFile + ":\n" + TestbedSupport.tail(logFile, 50));
            }
            TestbedSupport.sleep(Duration.ofMillis(100));
        }
    }

    /** Any HTTP answer (an unsigned request gets 403) means Jetty is serving. */
    private boolean answersHttp(String endpoint) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + "/"))
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

    private String newLog(long offset) {
        try {
            String all = Files.readString(logFile, StandardCharsets.ISO_8859_1);
            return all.substring((int) Math.min(offset, all.length()));
        } catch (IOException e) {
            return "";
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // Last-chance cleanup at JVM exit: nothing left to report to.
        }
    }
}
