package dev.searchsync.it;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.config.JobConfig;
import dev.searchsync.document.KeySchema;
import dev.searchsync.testbed.DynamoDbLocalExtension;
import dev.searchsync.testbed.DynamoDbLocalServer;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;
import dev.searchsync.testbed.S3FileSystems;
import dev.searchsync.testbed.S3ProxyExtension;
import dev.searchsync.testbed.S3ProxyServer;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dead letters sent back after the mapping is fixed are indexed; one whose item was updated since, and one whose
 * item was deleted since, are skipped as stale and the index keeps the newer state; redriving the same letters
 * again changes nothing.
 */
class RedriveIT {
    private static final String BUCKET = "redrive-letters";
    private static final KeySchema SCHEMA = KeySchema.of(TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @AfterAll
    static void resetFileSystems() {
        S3FileSystems.reset();
    }

    @Test
    void redriveIndexesFixedLettersAndNeverOverwritesNewerState() throws Exception {
        DynamoDbLocalServer dynamodb = DYNAMODB.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        S3ProxyServer s3 = S3.server();
        S3FileSystems.useS3Proxy(s3);
        s3.createBucket(BUCKET);
        String streamArn = dynamodb.createTableWithStream("redrive", TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        opensearch.deleteIndex("redrive");
        JobConfig config = SyncJobs.config(dynamodb, opensearch, streamArn, "redrive", Map.of("deadletter",
                Map.of("path", "s3://" + BUCKET + "/dead", "redrive.path", "s3://" + BUCKET + "/redrive")));
        SearchSyncJob.prepareIndex(config);
        SearchSyncJob.prepareRedriveFolder(config);
        StreamExecutionEnvironment env = SyncJobs.environment();
        SearchSyncJob.fromConfig(config).addTo(env);
        JobClient job = env.executeAsync("redrive");
        try {
            for (int i = 0; i < 10; i++) {
                put(dynamodb, item(i, "good " + i, null));
            }
            for (int i = 10; i < 14; i++) {
                // A field the strict mapping does not know yet: OpenSearch refuses these.
                put(dynamodb, item(i, "poison " + i, "surprise " + i));
            }
            assertThat(awaitLetters(s3, 4, job)).hasSize(4);

            // Fix the mapping; meanwhile item 10 is updated and item 11 deleted.
            opensearch.request("PUT", "/redrive/_mapping", "{\"properties\":{\"surprise\":{\"type\":\"keyword\"}}}");
            put(dynamodb, item(10, "updated after the failure", null));
            dynamodb.client().deleteItem(b -> b.tableName("redrive").key(key(11)));

            copyLettersToRedrive(s3, "first");
            List<Map<String, AttributeValue>> table = new TypedWorkload(dynamodb.client(), "redrive", 0, 0).scan();
            SyncJobs.awaitEqual("the redriven letters to be indexed", Duration.ofMinutes(2), job,
                    () -> IndexComparison.differences(table, SCHEMA, opensearch, "redrive"));
            Map<String, JsonNode> afterFirst = versions(opensearch);
            assertThat(afterFirst.get("p|s10").path("_source").path("name").asText())
                    .isEqualTo("updated after the failure");
            assertThat(afterFirst).doesNotContainKey("p|s11");
            assertThat(afterFirst.get("p|s12").path("_source").path("surprise").asText()).isEqualTo("surprise 12");

            // Again: nothing changes, and nothing fails again.
            copyLettersToRedrive(s3, "second");
            Thread.sleep(25_000); // two scans of the redrive folder and then some
            assertThat(versions(opensearch)).isEqualTo(afterFirst);
            assertThat(awaitLetters(s3, 4, job)).as("no new dead letters").hasSize(4);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    private static void put(DynamoDbLocalServer dynamodb, Map<String, AttributeValue> item) {
        dynamodb.client().putItem(b -> b.tableName("redrive").item(item));
    }

    private static Map<String, AttributeValue> key(int i) {
        return Map.of(TypedWorkload.HASH_KEY, AttributeValue.fromS("p"), TypedWorkload.RANGE_KEY,
                AttributeValue.fromS("s" + i));
    }

    private static Map<String, AttributeValue> item(int i, String name, String surprise) {
        Map<String, AttributeValue> item = new HashMap<>(key(i));
        item.put("name", AttributeValue.fromS(name));
        item.put("count", AttributeValue.fromN(Integer.toString(i)));
        if (surprise != null) {
            item.put("surprise", AttributeValue.fromS(surprise));
        }
        return item;
    }

    /** Every document with its _version and _source. */
    private static Map<String, JsonNode> versions(OpenSearchServer opensearch) throws Exception {
        opensearch.refresh("redrive");
        Map<String, JsonNode> documents = new HashMap<>();
        for (JsonNode hit : opensearch.requestJson("GET", "/redrive/_search?size=100&version=true",
                "{\"query\":{\"match_all\":{}}}").path("hits").path("hits")) {
            documents.put(hit.path("_id").asText(), hit);
        }
        return documents;
    }

    /** The committed dead-letter files, as the redrive instructions in docs/operations.md copy them. */
    private static List<S3Object> letterFiles(S3ProxyServer s3) {
        return s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("dead/")).contents().stream()
                .filter(o -> !o.key().substring(o.key().lastIndexOf('/') + 1).startsWith("."))
                .collect(Collectors.toList());
    }

    private static void copyLettersToRedrive(S3ProxyServer s3, String batch) {
        for (S3Object file : letterFiles(s3)) {
            String name = file.key().substring(file.key().lastIndexOf('/') + 1);
            s3.client().copyObject(b -> b.sourceBucket(BUCKET).sourceKey(file.key())
                    .destinationBucket(BUCKET).destinationKey("redrive/" + batch + "/" + name));
        }
    }

    private static List<String> awaitLetters(S3ProxyServer s3, int expected, JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<String> lines = List.of();
        while (System.nanoTime() < deadline) {
            assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("job ended").isFalse();
            lines = letterFiles(s3).stream()
                    .flatMap(o -> s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key())).asUtf8String()
                            .lines())
                    .filter(line -> !line.isBlank())
                    .collect(Collectors.toList());
            if (lines.size() >= expected) {
                return lines;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("expected " + expected + " dead letters, found " + lines.size());
    }
}
