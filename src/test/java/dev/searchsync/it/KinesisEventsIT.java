package dev.searchsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.config.JobConfig;
import dev.searchsync.config.PropertyGroups;
import dev.searchsync.deadletter.DeadLetter;
import dev.searchsync.events.KplRecords;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.RawRecord;
import dev.searchsync.source.kinesis.KinesisRecord;
import dev.searchsync.testbed.KinesisEmulator;
import dev.searchsync.testbed.KinesisEmulatorExtension;
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
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The kinesis input end to end on the test bed's Kinesis emulator, at parallelism 2, while the stream is split and
 * merged and the job fails once after a checkpoint and restarts from it: appended events of every record format
 * are each indexed exactly once, poison records become dead letters with their raw bytes and the records around them
 * are indexed; and versioned events leave the index equal to the last state per id.
 */
class KinesisEventsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAY_ONE = Instant.parse("2026-11-30T12:00:00Z").toEpochMilli();
    private static final long DAY = 86_400_000L;

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @RegisterExtension
    static final KinesisEmulatorExtension KINESIS = new KinesisEmulatorExtension();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @AfterAll
    static void resetFileSystems() {
        S3FileSystems.reset();
    }

    @Test
    void appendedEventsOfEveryFormatAreIndexedOnceAcrossSplitMergeAndARestart() throws Exception {
        OpenSearchServer opensearch = OPENSEARCH.server();
        S3ProxyServer s3 = S3.server();
        S3FileSystems.useS3Proxy(s3);
        s3.createBucket("kinesis-append-letters");
        KinesisWorkload stream = new KinesisWorkload(KINESIS.server(), "append-events");
        JobConfig config = config(KINESIS.server(), opensearch, stream.streamName,
                Map.of("name", "kinesis-append-{yyyy.MM.dd}"), Map.of("timestamp.field", "/at"));
        SearchSyncJob.prepareIndex(config);
        assertThat(opensearch.status("GET", "/_index_template/searchsync-kinesis-append", null))
                .as("the template, named after the pattern without its date").isEqualTo(200);

        String run = "kinesis-append";
        SearchSyncJob<KinesisRecord> production = SearchSyncJob.kinesis(config);
        StreamExecutionEnvironment env = SyncJobs.environment(500, 3, Duration.ofMillis(500));
        production.withSink(new FailingOnceSink<DocumentAction>(production.sink(), run, 150)).addTo(env);
        JobClient job = env.executeAsync(run);
        try {
            AppendedEvents events = new AppendedEvents(stream);
            events.put(40);
            SyncJobs.awaitEqual("the first events indexed", Duration.ofMinutes(2), job,
                    () -> indexed(opensearch, "kinesis-append-*"));
            String upperChild = stream.splitFirstRoot();
            events.put(40);
            List<Poison> poison = events.putPoison();
            events.put(20);
            stream.mergeWithSecondRoot(upperChild);
            events.put(40);
            assertThat(stream.shards()).hasSize(5);

            SyncJobs.awaitEqual("every appended event indexed", Duration.ofMinutes(3), job,
                    () -> events.differences(opensearch));
            assertThat(FailingOnceSink.hasFailed(run)).as("the job failed once after a checkpoint").isTrue();
            Map<String, JsonNode> documents = IndexComparison.documents(opensearch, "kinesis-append-*");
            assertThat(documents.values()).as("no document written twice")
                    .allSatisfy(hit -> assertThat(hit.path("_version").asLong()).isEqualTo(1));
            assertThat(documents.values()).as("each in the index of its day").allSatisfy(hit ->
                    assertThat(hit.path("_index").asText()).isEqualTo(hit.path("_source").path("at").asLong() < DAY_ONE
                            + DAY / 2 ? "kinesis-append-2026.11.30" : "kinesis-append-2026.12.01"));

            List<DeadLetter> letters = DeadLetterFiles.await(s3, "kinesis-append-letters", "dead/", poison.size(),
                    () -> assertThat(job.getJobStatus().get()).as("job status").isEqualTo(JobStatus.RUNNING));
            assertThat(letters).hasSize(poison.size());
            for (Poison expected : poison) {
                DeadLetter letter = letters.stream()
                        .filter(l -> l.getOrigin().getSequence().equals(expected.put.sequenceNumber()))
                        .findFirst().orElseThrow(() -> new AssertionError("no letter for " + expected.what));
                assertThat(letter.stage()).as(expected.what).isEqualTo(FailureStage.DECODE);
                assertThat(letter.getError().getReason()).as(expected.what).contains(expected.reason);
                assertThat(letter.getRecord().getFormat()).isEqualTo(RawRecord.RawFormat.BASE64);
                assertThat(letter.getRecord().toBytes()).as(expected.what).isEqualTo(expected.data);
                assertThat(letter.getOrigin().getShard()).isEqualTo(expected.put.shardId());
                assertThat(letter.getOrigin().getInput()).isEqualTo(stream.streamName);
                assertThat(letter.getOrigin().getKind()).isEqualTo("kinesis");
            }
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void versionedEventsLeaveTheLastStatePerIdAcrossSplitMergeAndARestart() throws Exception {
        OpenSearchServer opensearch = OPENSEARCH.server();
        S3ProxyServer s3 = S3.server();
        S3FileSystems.useS3Proxy(s3);
        s3.createBucket("kinesis-versioned-letters");
        opensearch.deleteIndex("kinesis-orders");
        KinesisWorkload stream = new KinesisWorkload(KINESIS.server(), "versioned-events");
        JobConfig config = config(KINESIS.server(), opensearch, stream.streamName, Map.of("name", "kinesis-orders"),
                Map.of("id.field", "/id", "delete.field", "/op", "delete.values", "delete,remove"));
        SearchSyncJob.prepareIndex(config);

        String run = "kinesis-versioned";
        SearchSyncJob<KinesisRecord> production = SearchSyncJob.kinesis(config);
        StreamExecutionEnvironment env = SyncJobs.environment(500, 3, Duration.ofMillis(500));
        production.withSink(new FailingOnceSink<DocumentAction>(production.sink(), run, 100)).addTo(env);
        JobClient job = env.executeAsync(run);
        try {
            VersionedEvents events = new VersionedEvents(stream);
            events.put(60);
            SyncJobs.awaitEqual("the first events indexed", Duration.ofMinutes(2), job,
                    () -> indexed(opensearch, "kinesis-orders"));
            String upperChild = stream.splitFirstRoot();
            events.put(60);
            stream.mergeWithSecondRoot(upperChild);
            events.put(60);

            SyncJobs.awaitEqual("the index equal to the last state per id", Duration.ofMinutes(3), job,
                    () -> events.differences(opensearch));
            assertThat(FailingOnceSink.hasFailed(run)).as("the job failed once after a checkpoint").isTrue();
            assertThat(events.deletes).as("the workload deleted documents").isGreaterThan(5);
            assertThat(DeadLetterFiles.read(s3, "kinesis-versioned-letters", "dead/")).isEmpty();
        } finally {
            job.cancel().get();
        }
    }

    /** Empty once {@code index} holds a document; a new index may answer 503 until its shards are allocated. */
    private static List<String> indexed(OpenSearchServer opensearch, String index) {
        try {
            return opensearch.count(index) > 0 ? List.of() : List.of("nothing indexed yet");
        } catch (IllegalStateException e) {
            return List.of("index not ready: " + e.getMessage());
        }
    }

    /** The documents of {@code index}, or none while an index just created cannot answer yet. */
    private static Map<String, JsonNode> documents(OpenSearchServer opensearch, String index) throws Exception {
        try {
            return IndexComparison.documents(opensearch, index);
        } catch (IllegalStateException e) {
            return Map.of();
        }
    }

    private static JobConfig config(KinesisEmulator kinesis, OpenSearchServer opensearch, String stream,
            Map<String, String> index, Map<String, String> events) {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        groups.put("source", Map.of("type", "kinesis", "stream.name", stream,
                "aws.endpoint", kinesis.endpoint().toString(), "aws.region", kinesis.region(),
                "aws.credentials.provider", "STATIC", "aws.access.key.id", kinesis.accessKey(),
                "aws.secret.access.key", kinesis.secretKey(), "shard.discovery.interval.ms", "1000",
                "poll.interval.ms", "100", "poll.idle.max.interval.ms", "300"));
        groups.put("index", index);
        groups.put("events", events);
        groups.put("opensearch", Map.of("endpoint", opensearch.httpUrl(), "bulk.flush.interval.ms", "200"));
        groups.put("deadletter", Map.of("path", "s3://kinesis-" + (events.containsKey("id.field") ? "versioned"
                : "append") + "-letters/dead"));
        return JobConfig.from(PropertyGroups.of(groups));
    }

    /**
     * Events numbered from 0, each with its time on one of two days, in records of every format in turn: one
     * object, NDJSON (a blank line, CRLF), gzip NDJSON, a JSON array, and a KPL aggregate of sub-records that are
     * themselves one object, gzip NDJSON and NDJSON.
     */
    private static final class AppendedEvents {
        private final KinesisWorkload stream;
        private int next;
        private int records;

        AppendedEvents(KinesisWorkload stream) {
            this.stream = stream;
        }

        void put(int count) {
            for (int i = 0; i < count; i++) {
                String key = "key-" + (records % 7);
                switch (records++ % 5) {
                    case 0:
                        stream.put(key, utf8(event()));
                        break;
                    case 1:
                        stream.put(key, utf8(event() + "\n" + event() + "\r\n\n" + event() + "\n" + event() + "\n"
                                + event()));
                        break;
                    case 2:
                        stream.put(key, KplRecords.gzip(event() + "\n" + event() + "\n" + event() + "\n" + event()));
                        break;
                    case 3:
                        stream.put(key, utf8("[" + event() + ", " + event() + ",\n" + event() + "]"));
                        break;
                    default:
                        stream.put(key, KplRecords.aggregate(List.of(key + "-a", key + "-b", key + "-c"), List.of(
                                utf8(event()), KplRecords.gzip(event() + "\n" + event()),
                                utf8(event() + "\n" + event()))));
                }
            }
        }

        /** A bad JSON record, a bad gzip record and a KPL record with a wrong digest, each between good ones. */
        List<Poison> putPoison() {
            List<Poison> poison = new ArrayList<>();
            byte[] badJson = utf8("{\"n\": 1, \"at\": ");
            poison.add(new Poison("bad JSON", badJson, stream.put("poison", badJson), "JSON"));
            put(1);
            byte[] badGzip = KplRecords.gzip(event());
            next--; // that event is never indexed: its record is cut short
            byte[] truncated = java.util.Arrays.copyOf(badGzip, badGzip.length - 9);
            poison.add(new Poison("bad gzip", truncated, stream.put("poison", truncated), "gzip"));
            put(1);
            byte[] kpl = KplRecords.aggregate(List.of("a"), List.of(utf8("{\"n\":-1}")));
            kpl[kpl.length - 1] ^= 0x5A;
            poison.add(new Poison("KPL digest", kpl, stream.put("poison", kpl), "MD5"));
            put(1);
            return poison;
        }

        private String event() {
            int n = next++;
            return "{\"n\":" + n + ",\"at\":" + (DAY_ONE + (n % 2) * DAY + n) + ",\"msg\":\"événement " + n + "\"}";
        }

        /** What the indices miss or hold beyond the events put: empty when each event is there once. */
        List<String> differences(OpenSearchServer opensearch) throws Exception {
            Map<Integer, Integer> seen = new TreeMap<>();
            for (JsonNode hit : documents(opensearch, "kinesis-append-*").values()) {
                seen.merge(hit.path("_source").path("n").asInt(), 1, Integer::sum);
            }
            List<String> differences = new ArrayList<>();
            for (int n = 0; n < next; n++) {
                Integer count = seen.remove(n);
                if (count == null || count != 1) {
                    differences.add("event " + n + " indexed " + (count == null ? 0 : count) + " times");
                }
            }
            seen.keySet().forEach(n -> differences.add("event " + n + " was never put"));
            return differences;
        }
    }

    /** A poison record as put, and what its letter's error must mention. */
    private static final class Poison {
        final String what;
        final byte[] data;
        final PutRecordResponse put;
        final String reason;

        Poison(String what, byte[] data, PutRecordResponse put, String reason) {
            this.what = what;
            this.data = data;
            this.put = put;
            this.reason = reason;
        }
    }

    /**
     * Creates, updates and deletes of 30 ids, partitioned by id, in records of 1 to 3 events of one id (NDJSON or a
     * KPL aggregate), so a record's events are ordered by their place in it; remembers the last state of each id.
     */
    private static final class VersionedEvents {
        private final KinesisWorkload stream;
        private final Random random = new Random(12);
        private final Map<String, ObjectNode> expected = new HashMap<>();
        private int revision;
        int deletes;

        VersionedEvents(KinesisWorkload stream) {
            this.stream = stream;
        }

        void put(int records) {
            for (int r = 0; r < records; r++) {
                String id = "order-" + random.nextInt(30);
                List<String> lines = new ArrayList<>();
                for (int e = 0, events = 1 + random.nextInt(3); e < events; e++) {
                    lines.add(change(id));
                }
                if (r % 4 == 3) {
                    List<byte[]> subRecords = lines.stream().map(KinesisEventsIT::utf8).collect(Collectors.toList());
                    stream.put(id, KplRecords.aggregate(lines.stream().map(l -> id).collect(Collectors.toList()),
                            subRecords));
                } else {
                    stream.put(id, utf8(String.join("\n", lines)));
                }
            }
        }

        private String change(String id) {
            ObjectNode event = JSON.createObjectNode().put("id", id).put("rev", ++revision);
            if (expected.containsKey(id) && random.nextInt(4) == 0) {
                event.put("op", random.nextBoolean() ? "delete" : "remove");
                expected.remove(id);
                deletes++;
            } else {
                event.put("op", expected.containsKey(id) ? "update" : "create").put("total", random.nextInt(1000));
                expected.put(id, event);
            }
            return event.toString();
        }

        List<String> differences(OpenSearchServer opensearch) throws Exception {
            Map<String, JsonNode> documents = documents(opensearch, "kinesis-orders");
            List<String> differences = new ArrayList<>();
            Set<String> ids = new TreeSet<>(expected.keySet());
            ids.addAll(documents.keySet());
            for (String id : ids) {
                JsonNode want = expected.get(id);
                JsonNode got = documents.containsKey(id) ? documents.get(id).path("_source") : null;
                if (want == null || !want.equals(got)) {
                    differences.add(id + ": expected " + want + ", index holds " + got);
                }
            }
            return differences;
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
