package dev.searchsync.testbed;

import com.amazonaws.services.dynamodbv2.local.monitoring.Telemetry;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBRequestHandler;
import com.amazonaws.services.dynamodbv2.local.server.LocalDynamoDBServerHandler;
import com.amazonaws.services.dynamodbv2.local.server.TestControlHandlers;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * DynamoDB Local inside the test JVM but reached over HTTP, so the job's own SDK clients talk to it as
 * to AWS, with test control enabled so tests can force stream shard rollovers. Use a fresh instance per
 * test class: an instance slows to a crawl once it holds about 50k stream records.
 */
public final class DynamoDbLocalServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbLocalServer.class);

    private static final String REGION = "us-east-1";
    /** DynamoDB Local accepts only letters and digits in access keys. */
    private static final String ACCESS_KEY = "testbed";
    private static final String SECRET_KEY = "testbed";
    private static final int BIND_ATTEMPTS = 5;

    /**
     * sqlite4java and DynamoDB Local's SDK v1 log through java.util.logging, which log4j2-test.properties
     * does not reach (e.g. a JAXB warning on every run); strong references keep the levels from being lost.
     */
    private static final List<java.util.logging.Logger> QUIETED = List.of(
            java.util.logging.Logger.getLogger("com.almworks.sqlite4java"),
            java.util.logging.Logger.getLogger("com.amazonaws"));

    static {
        QUIETED.forEach(logger -> logger.setLevel(Level.SEVERE));
    }

    private int port;
    private DynamoDBProxyServer server;
    private DynamoDbClient client;
    private DynamoDbStreamsClient streamsClient;
    private Thread shutdownHook;

    /** Starts a fresh in-memory instance on a free port. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        long started = System.nanoTime();
        useTestbedNativeLibraryUnlessConfigured();
        // The machine has no network and tests must not phone home: never build a telemetry client.
        Telemetry.configureTelemetry("MAVEN", "in_memory_shared_db", false);
        List<String> failures = new ArrayList<>();
        for (int attempt = 1; attempt <= BIND_ATTEMPTS && server == null; attempt++) {
            int candidate = TestbedSupport.freeLoopbackPorts(1)[0];
            LocalDynamoDBRequestHandler requestHandler;
            try {
                // A failed attempt shuts its handler down with the proxy, so each attempt gets its own.
                requestHandler = TestControlHandlers.inMemorySharedWithTestControl();
            } catch (Exception e) {
                throw new IllegalStateException("could not create the DynamoDB Local request handler", e);
            }
            DynamoDBProxyServer proxy = new DynamoDBProxyServer(candidate, new LocalDynamoDBServerHandler(requestHandler, null));
            try {
                // start() swallows a bind failure (it only prints it), so the port is proven by a request.
                proxy.start();
                port = candidate;
                server = proxy;
                client().listTables();
            } catch (Exception e) {
                failures.add(candidate + ": " + e);
                server = null;
                closeClients();
                stopQuietly(proxy);
            }
        }
        if (server == null) {
            throw new IllegalStateException("DynamoDB Local did not start: " + failures);
        }
        shutdownHook = TestbedSupport.addShutdownHook("dynamodb-local-testbed", this::closeQuietly);
        LOG.info("DynamoDB Local ready at {} in {} ms", endpoint(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Stops Jetty (its threads are non-daemon) and shuts the in-memory databases down. */
    public synchronized void stop() {
        TestbedSupport.removeShutdownHook(shutdownHook);
        shutdownHook = null;
        closeClients();
        if (server != null) {
            try {
                // Also shuts the request handler down, through the server handler's close().
                server.stop();
            } catch (Exception e) {
                throw new IllegalStateException("could not stop DynamoDB Local on port " + port, e);
            } finally {
                server = null;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    /** {@code http://127.0.0.1:PORT}; the port stays known after {@link #stop()} so tests can check it is free. */
    public synchronized URI endpoint() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public synchronized int port() {
        if (port == 0) {
            throw new IllegalStateException("DynamoDB Local has not been started");
        }
        return port;
    }

    /** Any valid region works: the database is shared across regions and access keys. */
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
        if (client == null) {
            client = DynamoDbClient.builder()
                    .endpointOverride(endpoint())
                    .region(Region.of(REGION))
                    .credentialsProvider(credentials())
                    .httpClientBuilder(ApacheHttpClient.builder())
                    .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                    .build();
        }
        return client;
    }

    /** A streams client shared by all callers and closed with the server: do not close it yourself. */
    public synchronized DynamoDbStreamsClient streamsClient() {
        if (streamsClient == null) {
            streamsClient = DynamoDbStreamsClient.builder()
                    .endpointOverride(endpoint())
                    .region(Region.of(REGION))
                    .credentialsProvider(credentials())
                    .httpClientBuilder(ApacheHttpClient.builder())
                    .build();
        }
        return streamsClient;
    }

    /**
     * Closes the open shard of every stream and opens a child whose parentShardId is the closed one,
     * like AWS does every few hours; goes over HTTP as DynamoDB Local's "test control" PutItem.
     */
    public void triggerShardRollover() {
        client().putItem(b -> b.tableName("[TEST_CONTROL]")
                .item(Map.of("ACTION", AttributeValue.fromS("ROLLOVER"))));
    }

    /**
     * Creates an on-demand table keyed by string attributes with a NEW_AND_OLD_IMAGES stream and
     * returns the stream's ARN.
     */
    public String createTableWithStream(String table, String hashKey, String rangeKeyOrNull) {
        List<KeySchemaElement> keys = new ArrayList<>();
        List<AttributeDefinition> attributes = new ArrayList<>();
        keys.add(KeySchemaElement.builder().attributeName(hashKey).keyType(KeyType.HASH).build());
        attributes.add(AttributeDefinition.builder().attributeName(hashKey).attributeType(ScalarAttributeType.S).build());
        if (rangeKeyOrNull != null) {
            keys.add(KeySchemaElement.builder().attributeName(rangeKeyOrNull).keyType(KeyType.RANGE).build());
            attributes.add(AttributeDefinition.builder().attributeName(rangeKeyOrNull)
                    .attributeType(ScalarAttributeType.S).build());
        }
        CreateTableResponse response = client().createTable(b -> b.tableName(table)
                .keySchema(keys)
                .attributeDefinitions(attributes)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
        client().waiter().waitUntilTableExists(b -> b.tableName(table));
        return response.tableDescription().latestStreamArn();
    }

    private StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }

    private void closeClients() {
        if (client != null) {
            client.close();
            client = null;
        }
        if (streamsClient != null) {
            streamsClient.close();
            streamsClient = null;
        }
    }

    private static void stopQuietly(DynamoDBProxyServer proxy) {
        try {
            proxy.stop();
        } catch (Exception ignored) {
            // The attempt already failed; its error is the one worth reporting.
        }
    }

    /** Lets IDE runs without the pom's argLine find the native SQLite library in target/testbed. */
    private static void useTestbedNativeLibraryUnlessConfigured() {
        if (System.getProperty("sqlite4java.library.path") == null) {
            Path natives = TestbedSupport.testbedDir().resolve("native");
            if (Files.isDirectory(natives)) {
                System.setProperty("sqlite4java.library.path", natives.toString());
            }
        }
    }

    private void closeQuietly() {
        try {
            stop();
        } catch (RuntimeException ignored) {
            // Last-chance cleanup at JVM exit: nothing left to report to.
        }
    }
}
