package dev.searchsync.testbed;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.waiters.KinesisWaiter;

/**
 * A Kinesis Data Streams emulator that reshards like AWS, in a child process: kinesis-local 0.6.2 (kinesis-mock built
 * for Node, MIT) from npm, run with the machine's {@code node}. moto's Kinesis cannot stand in: after a split it keeps
 * writing into the closed parent. kinesis-local routes new records to the children, ends a closed parent's reads with
 * a null NextShardIterator and its ChildShards, and honours ListShards' ShardFilter.
 *
 * <p>Known differences from AWS: a closed shard's EndingSequenceNumber is 2^63-1; GetRecords reads ~400-750 records/s;
 * it listens on every interface (on a random port, for the life of the test run), not only loopback.
 */
public final class KinesisEmulator extends ChildProcessServer {

    /** Where {@code npm ci} (generate-test-resources) installs it, relative to the project root. */
    static final Path PACKAGE = Path.of("src", "test", "node", "kinesis-local", "node_modules", "kinesis-local");

    private static final String REGION = "us-east-1";
    private static final String ACCESS_KEY = "AKIASEARCHSYNCKINESIS";
    private static final String SECRET_KEY = "searchsync-kinesis-testbed";
    /** Stream and shard operations take this long to become ACTIVE, so clients must wait as they must on AWS. */
    private static final String OPERATION_DURATION = "200ms";

    private final Path packageDir;
    private KinesisClient client;
    private KinesisWaiter waiter;

    public KinesisEmulator() {
        this(PACKAGE.toAbsolutePath());
    }

    public KinesisEmulator(Path packageDir) {
        // Two ports: plain HTTP for the tests, and TLS, which kinesis-local always opens too.
        super("kinesis-local", "kinesis", 2, Duration.ofSeconds(60), Duration.ofMillis(100));
        this.packageDir = packageDir;
    }

    @Override
    protected void prepare() {
        if (!Files.isRegularFile(packageDir.resolve("main.js"))) {
            throw new IllegalStateException(packageDir.resolve("main.js") + " is missing: run `mvn generate-test-resources`"
                    + " (npm ci installs kinesis-local from src/test/node/kinesis-local; it needs Node.js 18+ and npm)");
        }
    }

    @Override
    protected ProcessBuilder launchCommand() {
        // It reads its TLS certificate, server.json, from the working directory.
        ProcessBuilder builder = new ProcessBuilder("node", "main.js").directory(packageDir.toFile());
        Map<String, String> env = builder.environment();
        env.put("KINESIS_MOCK_PLAIN_PORT", Integer.toString(port()));
        env.put("KINESIS_MOCK_TLS_PORT", Integer.toString(port(1)));
        env.put("AWS_REGION", REGION);
        env.put("SHARD_LIMIT", "200");
        env.put("LOG_LEVEL", "WARN");
        env.put("ROOT_LOG_LEVEL", "ERROR");
        for (String operation : new String[] {"CREATE_STREAM", "DELETE_STREAM", "MERGE_SHARDS", "SPLIT_SHARD",
                "UPDATE_SHARD_COUNT", "UPDATE_STREAM_MODE", "REGISTER_STREAM_CONSUMER", "DEREGISTER_STREAM_CONSUMER",
                "START_STREAM_ENCRYPTION", "STOP_STREAM_ENCRYPTION"}) {
            env.put(operation + "_DURATION", OPERATION_DURATION);
        }
        return builder;
    }

    /** It accepts connections once its routes are up. */
    @Override
    protected boolean answers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port()), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    protected String address() {
        return endpoint().toString();
    }

    @Override
    public synchronized void close() {
        if (waiter != null) {
            waiter.close();
            waiter = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
        super.close();
    }

    /** {@code http://127.0.0.1:PORT} (plain HTTP). */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return port(0);
    }

    public String region() {
        return REGION;
    }

    public String accessKey() {
        return ACCESS_KEY;
    }

    public String secretKey() {
        return SECRET_KEY;
    }

    /** A client shared by all callers and closed with the server: do not close it yourself. */
    public synchronized KinesisClient client() {
        if (client == null) {
            client = KinesisClient.builder()
                    .endpointOverride(endpoint())
                    .region(Region.of(REGION))
                    .credentialsProvider(StaticCredentialsProvider.create(
                            AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                    .httpClientBuilder(ApacheHttpClient.builder())
                    .build();
        }
        return client;
    }

    /**
     * Waits on the shared client every 100 ms, where the SDK's own waiter sleeps 10 s between checks: streams here
     * become ACTIVE in {@value #OPERATION_DURATION}.
     */
    public synchronized KinesisWaiter waiter() {
        if (waiter == null) {
            waiter = KinesisWaiter.builder()
                    .client(client())
                    .overrideConfiguration(o -> o.maxAttempts(300)
                            .backoffStrategyV2(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(100))))
                    .build();
        }
        return waiter;
    }
}
