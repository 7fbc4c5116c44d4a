package dev.searchsync.it;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.config.JobConfig;
import dev.searchsync.deadletter.DeadLetter;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
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
import java.util.List;
import java.util.Map;

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
    static final MotoExtension MOTO = new MotoExtension();

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
        MotoServer moto = MOTO.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        S3ProxyServer s3 = S3.server();
        S3FileSystems.useS3Proxy(s3);
        s3.createBucket(BUCKET);
        String streamArn = moto.createTableWithStream("redrive", TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        opensearch.deleteIndex("redrive");
        JobConfig config = SyncJobs.config(moto, opensearch, streamArn, "redrive", Map.of("deadletter",
                Map.of("path", "s3://" + BUCKET + "/dead", "redrive.path", "s3://" + BUCKET + "/redrive")));
        SearchSyncJob.prepareIndex(config);
        SearchSyncJob.prepareRedriveFolder(config);
        StreamExecutionEnvironment env = SyncJobs.environment();
        SearchSyncJob.fromConfig(config).addTo(env);
        JobClient job = env.executeAsync("redrive");
        try {
            for (int i = 0; i < 10; i++) {
                put(moto, StrictMappingItems.item(i, "good " + i, null));
            }
            for (int i = 10; i < 14; i++) {
                // A field the strict mapping does not know yet: OpenSearch refuses these.
                put(moto, StrictMappingItems.item(i, "poison " + i, "surprise " + i));
            }
            assertThat(awaitLetters(s3, job)).hasSize(4);

            // Fix the mapping; meanwhile item 10 is updated and item 11 deleted.
            opensearch.request("PUT", "/redrive/_mapping", "{\"properties\":{\"surprise\":{\"type\":\"keyword\"}}}");
            put(moto, StrictMappingItems.item(10, "updated after the failure", null));
            moto.client().deleteItem(b -> b.tableName("redrive").key(StrictMappingItems.key(11)));

            copyLettersToRedrive(s3, "first");
            List<Map<String, AttributeValue>> table = new TypedWorkload(moto.client(), "redrive", 0, 0).scan();
            SyncJobs.awaitEqual("the redriven letters to be indexed", Duration.ofMinutes(2), job,
                    () -> IndexComparison.differences(table, SCHEMA, opensearch, "redrive"));
            Map<String, JsonNode> afterFirst = IndexComparison.documents(opensearch, "redrive");
            assertThat(afterFirst.get("p|s10").path("_source").path("name").asText())
                    .isEqualTo("updated after the failure");
            assertThat(afterFirst).doesNotContainKey("p|s11");
            assertThat(afterFirst.get("p|s12").path("_source").path("surprise").asText()).isEqualTo("surprise 12");

            // Again: nothing changes, and nothing fails again.
            copyLettersToRedrive(s3, "second");
            Thread.sleep(25_000); // two scans of the redrive folder and then some
            assertThat(IndexComparison.documents(opensearch, "redrive")).isEqualTo(afterFirst);
            assertThat(awaitLetters(s3, job)).as("no new dead letters").hasSize(4);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    private static void put(MotoServer moto, Map<String, AttributeValue> item) {
        moto.client().putItem(b -> b.tableName("redrive").item(item));
    }

    private static List<DeadLetter> awaitLetters(S3ProxyServer s3, JobClient job) throws Exception {
        return DeadLetterFiles.await(s3, BUCKET, "dead/", 4,
                () -> assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("job ended").isFalse());
    }

    private static void copyLettersToRedrive(S3ProxyServer s3, String batch) {
        for (S3Object file : DeadLetterFiles.committed(s3, BUCKET, "dead/")) {
            String name = file.key().substring(file.key().lastIndexOf('/') + 1);
            s3.client().copyObject(b -> b.sourceBucket(BUCKET).sourceKey(file.key())
                    .destinationBucket(BUCKET).destinationKey("redrive/" + batch + "/" + name));
        }
    }
}
