package dev.searchsync.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Proves the three test servers start, behave like the real services where the job depends on it, and clean up. */
// Registered on the class, so it runs after the field-registered DynamoDB extension has stopped its server.
@ExtendWith(TestbedIT.DynamoDbStoppedAfterClass.class)
class TestbedIT {

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    @Test
    void openSearchIndexesABulkRequest() {
        OpenSearchServer os = OPENSEARCH.server();
        String index = "testbed-smoke";
        os.deleteIndex(index);

        String bulk = "{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"1\"}}\n"
                + "{\"name\":\"one\"}\n"
                + "{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"2\"}}\n"
                + "{\"name\":\"two\"}\n";
        String response = os.request("POST", "/_bulk", bulk);
        os.refresh(index);

        assertThat(response).contains("\"errors\":false");
        assertThat(os.count(index)).isEqualTo(2);
        // Replicas default to 0 on the single node, so new indices are green rather than yellow.
        assertThat(os.get("/_cluster/health/" + index)).contains("\"status\":\"green\"");
        assertThat(os.status("GET", "/no-such-index/_doc/1", null)).isEqualTo(404);
        os.deleteIndex(index);
        os.deleteIndex(index);
    }

    @Test
    void s3ProxyChecksSignatures() {
        S3ProxyServer s3 = S3.server();
        String bucket = "testbed-smoke";
        s3.createBucket(bucket);
        S3Client client = s3.client();

        client.putObject(b -> b.bucket(bucket).key("dir/hello.txt"), RequestBody.fromString("hello", StandardCharsets.UTF_8));

        assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("dir/hello.txt")).asUtf8String()).isEqualTo("hello");
        assertThat(client.listObjectsV2(b -> b.bucket(bucket).prefix("dir/")).contents())
                .extracting(S3Object::key)
                .containsExactly("dir/hello.txt");
        try (S3Client forged = s3.newClient(s3.accessKey(), "not-the-secret")) {
            assertThatThrownBy(() -> forged.getObjectAsBytes(b -> b.bucket(bucket).key("dir/hello.txt")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    @Test
    void dynamoDbLocalRollsShardsOverOnRequest() {
        DynamoDbLocalServer ddb = DYNAMODB.server();
        String streamArn = ddb.createTableWithStream("testbed_smoke", "pk", "sk");

        putItems(ddb, 0, 5);
        ddb.triggerShardRollover();
        putItems(ddb, 5, 10);

        DynamoDbStreamsClient streams = ddb.streamsClient();
        List<Shard> shards = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards();
        assertThat(shards).hasSize(2);
        Shard parent = shards.get(0);
        Shard child = shards.get(1);
        assertThat(child.parentShardId()).isEqualTo(parent.shardId());
        assertThat(parent.sequenceNumberRange().endingSequenceNumber()).isNotNull();
        assertThat(child.sequenceNumberRange().endingSequenceNumber()).isNull();

        List<Record> fromParent = readFromTrimHorizon(streams, streamArn, parent.shardId());
        List<Record> fromChild = readFromTrimHorizon(streams, streamArn, child.shardId());
        assertThat(fromParent).hasSize(5);
        assertThat(fromChild).hasSize(5);
        List<String> keys = new ArrayList<>();
        fromParent.forEach(r -> keys.add(r.dynamodb().newImage().get("sk").s()));
        fromChild.forEach(r -> keys.add(r.dynamodb().newImage().get("sk").s()));
        assertThat(keys).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    }

    private static void putItems(DynamoDbLocalServer ddb, int from, int to) {
        for (int i = from; i < to; i++) {
            String sk = Integer.toString(i);
            ddb.client().putItem(b -> b.tableName("testbed_smoke").item(Map.of(
                    "pk", AttributeValue.fromS("p"),
                    "sk", AttributeValue.fromS(sk),
                    "value", AttributeValue.fromN(sk))));
        }
    }

    /** Reads a shard to its end (closed) or to the first empty page (open: the iterator never ends). */
    private static List<Record> readFromTrimHorizon(DynamoDbStreamsClient streams, String streamArn, String shardId) {
        String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> records = new ArrayList<>();
        while (iterator != null) {
            String current = iterator;
            var page = streams.getRecords(b -> b.shardIterator(current));
            records.addAll(page.records());
            if (page.records().isEmpty()) {
                break;
            }
            iterator = page.nextShardIterator();
        }
        return records;
    }

    /** Fails the class when DynamoDB Local outlives it: its Jetty threads would keep the JVM and port busy. */
    static final class DynamoDbStoppedAfterClass implements AfterAllCallback {
        @Override
        public void afterAll(ExtensionContext context) {
            DynamoDbLocalServer ddb = DYNAMODB.server();
            assertThat(ddb.isRunning()).as("DynamoDB Local stopped after the class").isFalse();
            assertThat(TestbedSupport.isPortFree(ddb.port()))
                    .as("port %d released by DynamoDB Local", ddb.port())
                    .isTrue();
        }
    }
}
