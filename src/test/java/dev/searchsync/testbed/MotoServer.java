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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * moto, the open-source AWS emulator, in a child process: one port serves DynamoDB and DynamoDB Streams (and Kinesis,
 * CloudWatch Logs and S3) to the job's own SDK clients. It is Python: the interpreter is the one
 * {@code src/test/python/ensure-moto} chose in the build ({@code target/testbed/moto-python}), else {@code python3}.
 *
 * <p>What moto gets wrong, and what the tests do about it (measured; see docs/testing.md): its stream has one shard
 * that never rolls over ({@link StreamRolloverProxy} adds rollovers), its sequence numbers race when several threads
 * write one table (write each table from one thread), a PutItem costs ~5 ms (write in batches where order allows), and
 * errors come back as HTTP 500 rather than typed.
 */
public final class MotoServer extends ChildProcessServer {

    private static final String REGION = "us-east-1";
    /** moto checks neither; the job's STATIC credentials need some. */
    private static final String ACCESS_KEY = "testbed";
    private static final String SECRET_KEY = "testbed";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final String INSTALL_HINT = "run `mvn verify` (src/test/python/ensure-moto installs it when it"
            + " can) or install it: pip install 'moto[server]>=5.2'";

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final List<AutoCloseable> clients = new ArrayList<>();
    private String python;
    private DynamoDbClient dynamoDb;
    private DynamoDbStreamsClient streams;

    public MotoServer() {
        super("moto", "moto", 1, READY_TIMEOUT, Duration.ofMillis(100));
    }

    /** Finds the interpreter and proves it has moto, so a missing install is one clear sentence, not a dead process. */
    @Override
    protected void prepare() {
        python = pythonForMoto();
        try {
            Process check = new ProcessBuilder(python, "-c", "import moto, flask, flask_cors")
                    .redirectErrorStream(true)
                    .start();
            String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!check.waitFor(60, TimeUnit.SECONDS) || check.exitValue() != 0) {
                throw new IllegalStateException("moto (the AWS emulator of the tests) is not installed for " + python
                        + ": " + lastLine(output) + ". To fix it, " + INSTALL_HINT);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Python (" + python + ") was not found to run moto, the AWS emulator of"
                    + " the tests; " + INSTALL_HINT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking for moto", e);
        }
    }

    @Override
    protected ProcessBuilder launchCommand() {
        ProcessBuilder builder = new ProcessBuilder(python, "-m", "moto.server",
                "-H", "127.0.0.1", "-p", Integer.toString(port()))
                .directory(tempDir().toFile());
        // moto must not pick up a developer's real account settings, nor write byte code into their Python.
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("MOTO_"));
        builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
        return builder;
    }

    /** Any HTTP answer from moto's own API means the server is up. */
    @Override
    protected boolean answers() {
        try {
            http.send(HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/")).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for moto", e);
        }
    }

    @Override
    protected String address() {
        return endpoint().toString();
    }

    /** Forgets every table, stream and bucket (~40 ms), so each test class starts from nothing. */
    public void reset() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint() + "/moto-api/reset"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("moto reset answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("moto reset failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while resetting moto", e);
        }
    }

    /** Closes the shared clients, then stops moto for good. */
    @Override
    public synchronized void close() {
        for (AutoCloseable client : clients) {
            try {
                client.close();
            } catch (Exception ignored) {
                // Closing an HTTP client cannot fail in a way that matters here.
            }
        }
        clients.clear();
        dynamoDb = null;
        streams = null;
        super.close();
    }

    /** {@code http://127.0.0.1:PORT}: every service, as the endpoint override of any SDK client. */
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
    public synchronized DynamoDbClient client() {
        if (dynamoDb == null) {
            dynamoDb = keep(configure(DynamoDbClient.builder(), endpoint())
                    .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                    .build());
        }
        return dynamoDb;
    }

    /** A DynamoDB Streams client on moto itself (one shard per stream), shared and closed with the server. */
    public synchronized DynamoDbStreamsClient streamsClient() {
        if (streams == null) {
            streams = keep(configure(DynamoDbStreamsClient.builder(), endpoint()).build());
        }
        return streams;
    }

    /** Applies this test bed's region, credentials and HTTP client to any SDK builder aimed at {@code endpoint}. */
    public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(B builder, URI endpoint) {
        return builder.endpointOverride(endpoint)
                .region(Region.of(REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClientBuilder(ApacheHttpClient.builder());
    }

    /**
     * Creates an on-demand table keyed by string attributes with a NEW_AND_OLD_IMAGES stream and returns the stream's
     * ARN.
     */
    public String createTableWithStream(String table, String hashKey, String rangeKeyOrNull) {
        return create(table, hashKey, rangeKeyOrNull, true).tableDescription().latestStreamArn();
    }

    /** Creates an on-demand table keyed by string attributes, without a stream (see {@link #enableStream}). */
    public void createTable(String table, String hashKey, String rangeKeyOrNull) {
        create(table, hashKey, rangeKeyOrNull, false);
    }

    /**
     * Enables a NEW_AND_OLD_IMAGES stream on a table created without one and returns its ARN: the stream holds the
     * writes from now on only, as on AWS when a stream is enabled on a table already in use.
     */
    public String enableStream(String table) {
        return client().updateTable(b -> b.tableName(table)
                        .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)))
                .tableDescription().latestStreamArn();
    }

    private CreateTableResponse create(String table, String hashKey, String rangeKeyOrNull, boolean stream) {
        List<KeySchemaElement> keys = new ArrayList<>();
        List<AttributeDefinition> attributes = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build());
        attributes.add(AttributeDefinition.builder().attributeName(hashKey).attributeType(ScalarAttributeType.S).build());
        if (rangeKeyOrNull != null) {
            keys.add(KeySchemaElement.builder().attributeName(rangeKeyOrNull).keyType(KeyType.RANGE).build());
            attributes.add(AttributeDefinition.builder().attributeName(rangeKeyOrNull)
                    .attributeType(ScalarAttributeType.S).build());
        }
        CreateTableResponse response = client().createTable(b -> {
            b.tableName(table).keySchema(keys).attributeDefinitions(attributes).billingMode(BillingMode.PAY_PER_REQUEST);
            if (stream) {
                b.streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES));
            }
        });
        client().waiter().waitUntilTableExists(b -> b.tableName(table));
        return response;
    }

    private synchronized <T extends AutoCloseable> T keep(T client) {
        clients.add(client);
        return client;
    }

    /** What ensure-moto wrote in the build, else python3 from the PATH. */
    static String pythonForMoto() {
        Path chosen = TestbedSupport.testbedDir().resolve("moto-python");
        try {
            if (Files.isRegularFile(chosen)) {
                String path = Files.readString(chosen, StandardCharsets.UTF_8).trim();
                if (!path.isEmpty() && Files.isExecutable(Path.of(path))) {
                    return path;
                }
            }
        } catch (IOException e) {
            // Fall back to the PATH's python3; prepare() reports what is wrong with it.
        }
        return "python3";
    }

    private static String lastLine(String output) {
        String[] lines = output.split("\\R");
        return lines.length == 0 || lines[lines.length - 1].isBlank() ? "no output" : lines[lines.length - 1];
    }
}
