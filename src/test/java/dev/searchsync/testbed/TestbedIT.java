package dev.searchsync.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.LimitExceededException;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Proves the test servers start, behave like the real services where the job depends on it, and clean up. */
class TestbedIT {

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final StreamRolloverProxyExtension PROXY = new StreamRolloverProxyExtension(MOTO);

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
    void motoStreamsEveryChangeOfATableWithBothImages() {
        MotoServer moto = MOTO.server();
        String streamArn = moto.createTableWithStream("moto_smoke", "pk", "sk");
        // One BatchWriteItem (25 items), then an update and a delete of one of them.
        List<WriteRequest> puts = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            puts.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item(i)).build()).build());
        }
        moto.client().batchWriteItem(b -> b.requestItems(Map.of("moto_smoke", puts)));
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromS("3"));
        moto.client().updateItem(b -> b.tableName("moto_smoke").key(key).updateExpression("SET #v = :v")
                .expressionAttributeNames(Map.of("#v", "value")).expressionAttributeValues(Map.of(":v",
                        AttributeValue.fromN("33"))));
        moto.client().deleteItem(b -> b.tableName("moto_smoke").key(key));

        DynamoDbStreamsClient streams = moto.streamsClient();
        List<Shard> shards = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards();
        assertThat(shards).as("moto: one shard per stream, never closed").hasSize(1);
        assertThat(shards.get(0).sequenceNumberRange().endingSequenceNumber()).isNull();
        List<Record> records = readFromTrimHorizon(streams, streamArn, shards.get(0).shardId());
        assertThat(records).hasSize(27);
        assertThat(records.get(25).eventName()).isEqualTo(OperationType.MODIFY);
        assertThat(records.get(25).dynamodb().oldImage().get("value").n()).isEqualTo("3");
        assertThat(records.get(25).dynamodb().newImage().get("value").n()).isEqualTo("33");
        assertThat(records.get(26).eventName()).isEqualTo(OperationType.REMOVE);
        assertThat(records.get(26).dynamodb().oldImage()).containsKey("value");

        moto.reset();
        assertThat(moto.client().listTables().tableNames()).as("reset forgets every table").isEmpty();
    }

    @Test
    void motoStopsWithItsTestBed() {
        MotoServer own = new MotoServer();
        try {
            own.start();
            assertThat(own.isRunning()).isTrue();
            assertThat(own.client().listTables().tableNames()).isEmpty();
        } finally {
            own.close();
        }
        assertThat(own.isRunning()).isFalse();
        assertThat(TestbedSupport.isPortFree(own.port())).as("port %d released by moto", own.port()).isTrue();
    }

    @Test
    void rolloverProxyClosesTheShardAndOpensAChild() {
        StreamRolloverProxy proxy = PROXY.proxy();
        MotoServer moto = MOTO.server();
        String streamArn = moto.createTableWithStream("rollover_smoke", "pk", "sk");

        putItems(moto, "rollover_smoke", 0, 5);
        String child = proxy.rollover(streamArn);
        putItems(moto, "rollover_smoke", 5, 10);
        String grandchild = proxy.rollover(streamArn);

        DynamoDbStreamsClient streams = proxy.streamsClient();
        List<Shard> shards = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards();
        assertThat(shards).extracting(Shard::shardId).endsWith(child, grandchild).hasSize(3);
        Shard parent = shards.get(0);
        assertThat(shards.get(1).parentShardId()).isEqualTo(parent.shardId());
        assertThat(shards.get(2).parentShardId()).isEqualTo(child);
        assertThat(parent.sequenceNumberRange().endingSequenceNumber()).isNotNull();
        assertThat(shards.get(1).sequenceNumberRange().endingSequenceNumber()).isNotNull();
        assertThat(shards.get(2).sequenceNumberRange().endingSequenceNumber()).isNull();
        List<Shard> paged = streams.describeStream(b -> b.streamArn(streamArn).limit(2)).streamDescription().shards();
        assertThat(paged).as("pages of DescribeStream").hasSize(2);

        List<Record> fromParent = readFromTrimHorizon(streams, streamArn, parent.shardId());
        List<Record> fromChild = readFromTrimHorizon(streams, streamArn, child);
        List<Record> fromGrandchild = readFromTrimHorizon(streams, streamArn, grandchild);
        assertThat(fromParent).hasSize(5);
        assertThat(fromChild).hasSize(5);
        assertThat(fromGrandchild).isEmpty();
        List<String> keys = new ArrayList<>();
        fromParent.forEach(r -> keys.add(r.dynamodb().newImage().get("sk").s()));
        fromChild.forEach(r -> keys.add(r.dynamodb().newImage().get("sk").s()));
        assertThat(keys).containsExactly("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

        // A reader of the open shard keeps reading there after more writes.
        putItems(moto, "rollover_smoke", 10, 12);
        assertThat(readFromTrimHorizon(streams, streamArn, grandchild)).hasSize(2);
    }

    @Test
    void rolloverProxySendsTheErrorsAwsSends() {
        StreamRolloverProxy proxy = PROXY.proxy();
        MotoServer moto = MOTO.server();
        String streamArn = moto.createTableWithStream("errors_smoke", "pk", "sk");
        putItems(moto, "errors_smoke", 0, 3);
        String shard = proxy.streamsClient().describeStream(b -> b.streamArn(streamArn)).streamDescription()
                .shards().get(0).shardId();
        try (DynamoDbStreamsClient noRetries = moto.configure(DynamoDbStreamsClient.builder(), proxy.endpoint())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build()) {
            String iterator = noRetries.getShardIterator(b -> b.streamArn(streamArn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();

            proxy.throttleNextGetRecords(1);
            assertThatThrownBy(() -> noRetries.getRecords(b -> b.shardIterator(iterator)))
                    .isInstanceOf(LimitExceededException.class);
            assertThat(noRetries.getRecords(b -> b.shardIterator(iterator)).records()).hasSize(3);

            proxy.expireIterators();
            assertThatThrownBy(() -> noRetries.getRecords(b -> b.shardIterator(iterator)))
                    .isInstanceOf(ExpiredIteratorException.class);
            String fresh = noRetries.getShardIterator(b -> b.streamArn(streamArn).shardId(shard)
                    .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER)
                    .sequenceNumber(readFromTrimHorizon(noRetries, streamArn, shard).get(0).dynamodb().sequenceNumber()))
                    .shardIterator();
            assertThat(noRetries.getRecords(b -> b.shardIterator(fresh)).records()).hasSize(2);
        }
    }

    private static void putItems(MotoServer moto, String table, int from, int to) {
        for (int i = from; i < to; i++) {
            Map<String, AttributeValue> item = item(i);
            moto.client().putItem(b -> b.tableName(table).item(item));
        }
    }

    private static Map<String, AttributeValue> item(int i) {
        String sk = Integer.toString(i);
        return Map.of("pk", AttributeValue.fromS("p"), "sk", AttributeValue.fromS(sk), "value", AttributeValue.fromN(sk));
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
}
