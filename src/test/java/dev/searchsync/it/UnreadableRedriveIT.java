package dev.searchsync.it;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.config.JobConfig;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;
import dev.searchsync.testbed.S3FileSystems;
import dev.searchsync.testbed.S3ProxyExtension;
import dev.searchsync.testbed.S3ProxyServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A redrive file of lines that cannot be redriven (malformed JSON, a letter missing the fields a redrive needs, an
 * envelope version this job does not read, a letter without a sequence number) next to a file with a good letter:
 * the good letter is indexed, each bad line becomes a new dead letter in the dead-letter folder holding the line
 * as it was and the reason, and the job keeps running. It runs with no restart strategy, so a single failure would
 * end it: RUNNING at the end means zero restarts.
 */
class UnreadableRedriveIT {
    private static final String BUCKET = "unreadable-redrive";
    private static final String TABLE = "unreadable";
    private static final KeySchema SCHEMA = KeySchema.of(TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
    private static final ObjectMapper JSON = new ObjectMapper();

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
    void unreadableLinesBecomeDeadLettersAndTheGoodLetterIsApplied() throws Exception {
        MotoServer moto = MOTO.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        S3ProxyServer s3 = S3.server();
        S3FileSystems.useS3Proxy(s3);
        s3.createBucket(BUCKET);
        String streamArn = moto.createTableWithStream(TABLE, TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        opensearch.deleteIndex(TABLE);
        JobConfig config = SyncJobs.config(moto, opensearch, streamArn, TABLE, Map.of("deadletter",
                Map.of("path", "s3://" + BUCKET + "/dead", "redrive.path", "s3://" + BUCKET + "/redrive")));
        SearchSyncJob.prepareIndex(config);
        SearchSyncJob.prepareRedriveFolder(config);
        StreamExecutionEnvironment env = SyncJobs.environment(1_000, 0, Duration.ZERO);
        SearchSyncJob.fromConfig(config).addTo(env);
        JobClient job = env.executeAsync("unreadable redrive");
        try {
            for (int i = 0; i < 5; i++) {
                put(moto, item(i, null));
            }
            // A field the strict mapping does not know yet: OpenSearch refuses it, and it becomes a dead letter.
            put(moto, item(5, "surprise 5"));
            List<String> original = awaitLines(s3, job, 1);
            assertThat(original).hasSize(1);
            String good = original.get(0);

            List<String> bad = List.of(
                    good.substring(0, good.length() / 2),
                    without(good, null, "action", "record"),
                    good.replace("\"searchsync.dead-letter/2\"", "\"searchsync.dead-letter/9\""),
                    without(good, "origin", "sequence"));

            opensearch.request("PUT", "/" + TABLE + "/_mapping",
                    "{\"properties\":{\"surprise\":{\"type\":\"keyword\"}}}");
            write(s3, "redrive/batch/bad.jsonl", String.join("\n", bad) + "\n");
            write(s3, "redrive/batch/good.jsonl", good + "\n");

            List<Map<String, AttributeValue>> table = new TypedWorkload(moto.client(), TABLE, 0, 0).scan();
            SyncJobs.awaitEqual("the good letter to be indexed", Duration.ofMinutes(2), job,
                    () -> IndexComparison.differences(table, SCHEMA, opensearch, TABLE));

            List<JsonNode> unreadable = awaitUnreadable(s3, job, bad.size());
            assertThat(unreadable).extracting(l -> l.path("record").path("data").asText())
                    .containsExactlyInAnyOrderElementsOf(bad);
            assertThat(unreadable).allSatisfy(letter -> {
                assertThat(letter.path("error").path("type").asText())
                        .isEqualTo("dev.searchsync.deadletter.UnreadableLetterException");
                assertThat(letter.path("attempt").asInt()).isEqualTo(1);
                assertThat(letter.path("job").path("id").asText()).isEqualTo(job.getJobID().toString());
            });
            assertThat(reasonFor(unreadable, bad.get(0))).contains("Unexpected end-of-input");
            assertThat(reasonFor(unreadable, bad.get(1))).contains("record or action");
            assertThat(reasonFor(unreadable, bad.get(2))).contains("searchsync.dead-letter/9");
            assertThat(reasonFor(unreadable, bad.get(3))).contains("origin.sequence");

            // They went to the dead-letter folder, not back into the redrive folder: nothing is read twice.
            assertThat(lines(s3, "redrive/")).hasSize(bad.size() + 1);
            Thread.sleep(12_000); // one more scan of the redrive folder
            assertThat(lines(s3, "dead/")).hasSize(1 + bad.size());
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        }
    }

    private static String reasonFor(List<JsonNode> letters, String line) {
        return letters.stream().filter(l -> l.path("record").path("data").asText().equals(line)).findFirst()
                .orElseThrow().path("error").path("reason").asText();
    }

    /** The letter with the named fields of its {@code block} (null: of the letter itself) removed. */
    private static String without(String letter, String block, String... fields) throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(letter);
        ((ObjectNode) (block == null ? root : root.path(block))).remove(List.of(fields));
        return JSON.writeValueAsString(root);
    }

    private static void put(MotoServer moto, Map<String, AttributeValue> item) {
        moto.client().putItem(b -> b.tableName(TABLE).item(item));
    }

    private static Map<String, AttributeValue> item(int i, String surprise) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TypedWorkload.HASH_KEY, AttributeValue.fromS("p"));
        item.put(TypedWorkload.RANGE_KEY, AttributeValue.fromS("s" + i));
        item.put("name", AttributeValue.fromS("item " + i));
        item.put("count", AttributeValue.fromN(Integer.toString(i)));
        if (surprise != null) {
            item.put("surprise", AttributeValue.fromS(surprise));
        }
        return item;
    }

    private static void write(S3ProxyServer s3, String key, String body) {
        s3.client().putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(body));
    }

    /** The lines of the committed files under {@code prefix}. */
    private static List<String> lines(S3ProxyServer s3, String prefix) {
        List<String> lines = new ArrayList<>();
        for (S3Object file : DeadLetterFiles.committed(s3, BUCKET, prefix)) {
            String body = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(file.key())).asUtf8String();
            for (String line : body.split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    private static List<String> awaitLines(S3ProxyServer s3, JobClient job, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<String> lines = lines(s3, "dead/");
        while (lines.size() < expected) {
            checkRunning(job);
            if (System.nanoTime() > deadline) {
                fail("expected " + expected + " dead letters, found " + lines.size());
            }
            Thread.sleep(500);
            lines = lines(s3, "dead/");
        }
        return lines;
    }

    /** The letters of stage REDRIVE, read as JSON, once there are {@code expected} of them. */
    private static List<JsonNode> awaitUnreadable(S3ProxyServer s3, JobClient job, int expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            List<JsonNode> letters = new ArrayList<>();
            for (String line : lines(s3, "dead/")) {
                letters.add(JSON.readTree(line));
            }
            List<JsonNode> unreadable = letters.stream().filter(l -> "REDRIVE".equals(l.path("error").path("stage").asText()))
                    .collect(Collectors.toList());
            if (unreadable.size() >= expected) {
                return unreadable;
            }
            checkRunning(job);
            if (System.nanoTime() > deadline) {
                fail("expected " + expected + " dead letters of stage REDRIVE, found " + unreadable.size() + " among "
                        + letters.size() + " letters");
            }
            Thread.sleep(500);
        }
    }

    /** Fails at once when the job ended: with no restart strategy, any failure ends it. */
    private static void checkRunning(JobClient job) throws Exception {
        assertThat(job.getJobStatus().get().isGloballyTerminalState()).as("job ended: " + job.getJobStatus().get())
                .isFalse();
    }
}
