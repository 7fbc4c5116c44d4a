package dev.searchsync.it;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.aws.StreamArn;
import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.ChangeRecordJson;
import dev.searchsync.cdc.dynamodb.ChangeType;
import dev.searchsync.cdc.dynamodb.DynamoDbChangeMapper;
import dev.searchsync.cdc.dynamodb.DynamoDbJson;
import dev.searchsync.config.JobConfig;
import dev.searchsync.config.PropertyGroups;
import dev.searchsync.deadletter.DeadLetter;
import dev.searchsync.deadletter.DeadLetterJson;
import dev.searchsync.deadletter.DeadLetterSinks;
import dev.searchsync.deadletter.JobInfo;
import dev.searchsync.it.SavepointWorkload.Change;
import dev.searchsync.it.SavepointWorkload.Shard;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;
import dev.searchsync.ordering.DocumentKey;
import dev.searchsync.source.fake.FakeStream;
import dev.searchsync.source.split.StartingPosition;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every savepoint under {@code src/test/resources/savepoints/} restores into today's job graph, and the job goes on
 * from it correctly: a change that breaks restoring (a renamed uid, an incompatible {@code KeyVersionState} or a
 * renamed state, a split or enumerator serializer that reads old bytes differently) fails the build here.
 *
 * <p>Each savepoint was taken by {@link #record} from the production pipeline ({@link SearchSyncJob#dynamoDbStreams}
 * with its source reading an in-JVM {@link FakeStream}, the test bed's OpenSearch, dead letters in a local folder and
 * a redrive folder), parallelism 2, heap state, canonical format. Next to it, {@value SavepointWorkload#FILE} holds
 * the stream as it stood and the versions the index held ({@link SavepointWorkload}). A restore puts the same
 * shards and records back, appends new ones, drops stale dead letters into a fresh redrive folder, writes into a
 * fresh index, and checks:
 *
 * <ul>
 *   <li>the source resumes where it stood: it asks for each open shard's records after its last one read, never
 *       for the finished parent, and documents changed only before the savepoint do not come back;
 *   <li>the keyed state came back: a new change older than a document's last gets the saved version + 1, also
 *       across the parent-child boundary; stale redriven writes of live and of deleted documents (older sequence
 *       numbers of the same shard) are dropped, so nothing deleted is brought back;
 *   <li>the dead-letter sink and the redrive source run on (a record that cannot be read becomes a committed dead
 *       letter, redriven letters are read), and the job neither fails nor restarts (no restart strategy).
 * </ul>
 *
 * <p><b>Recording a new savepoint</b> (not part of the normal run), from the project folder:
 *
 * <pre>
 * mvn -B -o test-compile
 * mvn -B -o failsafe:integration-test failsafe:verify -Dit.test='SavepointRestoreIT#record' \
 *     -Dsearchsync.savepoint.record=true -Dsearchsync.savepoint.name=core-v3-YYYY-MM-DD
 * </pre>
 *
 * It writes {@code src/test/resources/savepoints/<name>/} (never over an existing one), restores it once, and is
 * committed whole. Record one when a release changes what state holds on purpose (a new field in
 * {@code KeyVersionState}, a new split or enumerator serializer version, a new stateful operator), after
 * documenting the change, never to make a failing restore pass; old savepoints stay for as long as restoring them
 * is promised (docs/testing.md, "Savepoints").
 */
class SavepointRestoreIT {
    static final String RECORD_PROPERTY = "searchsync.savepoint.record";
    static final String NAME_PROPERTY = "searchsync.savepoint.name";
    private static final String RESOURCES = "savepoints";
    private static final int PARALLELISM = 2;
    private static final String AFTER_RESTORE = "after-restore";
    private static final String STALE_LETTER = "stale-letter";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @TempDir
    Path temp;

    static Stream<String> savepoints() throws IOException, URISyntaxException {
        URL resources = SavepointRestoreIT.class.getResource("/" + RESOURCES);
        assertThat(resources).as("src/test/resources/" + RESOURCES + " on the class path").isNotNull();
        Path folder = Path.of(resources.toURI());
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted()
                    .collect(Collectors.toList()).stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("savepoints")
    void restoresAndGoesOn(String name) throws Exception {
        Path folder = Path.of(SavepointRestoreIT.class.getResource("/" + RESOURCES + "/" + name).toURI());
        restoreAndGoOn(folder);
    }

    /**
     * Takes a new savepoint (see the class comment), stores it under {@code src/test/resources/savepoints/<name>/}
     * and restores it once.
     */
    @Test
    @EnabledIfSystemProperty(named = RECORD_PROPERTY, matches = "true")
    void record() throws Exception {
        String name = System.getProperty(NAME_PROPERTY, "");
        assertThat(name).as("-D" + NAME_PROPERTY + " (lowercase letters, digits and dashes)").matches("[a-z0-9-]+");
        Path target = Path.of(System.getProperty("basedir", "."), "src", "test", "resources", RESOURCES, name);
        assertThat(target).as("a savepoint that exists is never overwritten").doesNotExist();

        String arn = "arn:aws:dynamodb:us-east-1:000000000000:table/orders/stream/2026-11-30T08:00:00.000";
        List<Shard> shards = List.of(
                new Shard("shardId-00000001796025600000-a1b2c3d4", null, true),
                new Shard("shardId-00000001796040000000-e5f6a7b8", "shardId-00000001796025600000-a1b2c3d4", false),
                new Shard("shardId-00000001796025600000-c9d0e1f2", null, false));
        FakeStream stream = SavepointWorkload.story(arn, shards.get(0).id(), shards.get(1).id(), shards.get(2).id());
        SavepointWorkload told = SavepointWorkload.fromStream(stream, shards, "savepoint-compat", Map.of(),
                List.of("A", "K", "F"));
        OpenSearchServer opensearch = OPENSEARCH.server();
        JobConfig config = config(told, opensearch, Files.createDirectories(temp.resolve("record")));
        opensearch.deleteIndex(told.index());
        SearchSyncJob.prepareIndex(config);
        SearchSyncJob.prepareRedriveFolder(config);
        String streamName = "record-" + name;
        FakeDynamoDbStreams.register(streamName, stream);
        Map<String, Long> versions = new LinkedHashMap<>();
        String savepoint;
        try {
            // Its expiry timers must not come due while the savepoint is restored, for years.
            JobClient job = start(config, streamName, null, Duration.ofDays(365L * 1_000));
            List<String> live = new ArrayList<>(told.continued());
            live.addAll(told.untouched());
            await("every document's last change before the savepoint", job, () -> live.stream()
                    .filter(key -> !told.lastChange(key).step().equals(step(document(opensearch, told, key))))
                    .collect(Collectors.toList()));
            // The last record of every shard is now read: the savepoint holds the state of every change.
            savepoint = job.triggerSavepoint(temp.resolve("taken").toUri().toString(), SavepointFormatType.CANONICAL)
                    .get();
            job.cancel().get();
            for (String key : live) {
                versions.put(key, document(opensearch, told, key).path("_version").asLong());
            }
        } finally {
            FakeDynamoDbStreams.unregister(streamName);
        }
        assertThat(versions).as("versions by the rule max(last + 1, creation time in µs)")
                .isEqualTo(expectedVersions(told, versions.keySet()));

        copyTree(Path.of(new URI(savepoint)), target.resolve(SavepointWorkload.SAVEPOINT_FOLDER));
        new SavepointWorkload(told.index(), told.streamArn(), told.shards(), told.records(), versions,
                told.continued()).write(target);
        restoreAndGoOn(target);
    }

    private void restoreAndGoOn(Path recorded) throws Exception {
        SavepointWorkload workload = SavepointWorkload.read(recorded);
        // Relocated: a savepoint holds only relative paths, so a copy anywhere restores.
        Path savepoint = copyTree(recorded.resolve(SavepointWorkload.SAVEPOINT_FOLDER), temp.resolve("restored"));
        AtomicLong clock = new AtomicLong();
        FakeStream stream = workload.rebuild(clock);
        long latest = workload.records().stream().mapToLong(Change::createdAt).max().orElseThrow();

        // After the savepoint's position: each continued document changes again, with an older creation time than
        // its last change (in its shard, or in the open child of its closed shard); each open shard gets a new
        // document; and one record cannot be read (a dead letter).
        for (String key : workload.continued()) {
            Change last = workload.lastChange(key);
            clock.set(last.createdAt() - 60_000);
            stream.append(workload.openShardFrom(last.shard()), key,
                    FakeDynamoDbStreams.write("MODIFY", SavepointWorkload.item(key, AFTER_RESTORE)));
        }
        clock.set(latest + 60_000);
        List<String> newKeys = new ArrayList<>();
        for (Shard shard : workload.openShards()) {
            String key = "new-" + newKeys.size();
            newKeys.add(key);
            stream.append(shard.id(), key, FakeDynamoDbStreams.write("INSERT", SavepointWorkload.item(key, AFTER_RESTORE)));
        }
        String unreadable = stream.append(workload.openShards().get(0).id(), "unreadable", "BOGUS").sequenceNumber();

        Path folder = Files.createDirectories(temp.resolve("run"));
        OpenSearchServer opensearch = OPENSEARCH.server();
        JobConfig config = config(workload, opensearch, folder);
        opensearch.deleteIndex(workload.index());
        SearchSyncJob.prepareIndex(config);
        SearchSyncJob.prepareRedriveFolder(config);
        List<String> markers = markers(workload);
        Files.write(folder.resolve("redrive").resolve("letters.jsonl"), redriveLetters(workload, markers, latest));

        String streamName = "restore-" + recorded.getFileName() + "-" + System.nanoTime();
        FakeDynamoDbStreams.register(streamName, stream);
        try {
            JobClient job = start(config, streamName, savepoint, null);
            List<String> expected = new ArrayList<>(workload.continued());
            expected.addAll(newKeys);
            expected.addAll(markers);
            await("the changes after the savepoint, the redriven markers and a dead letter", job, () -> {
                List<String> missing = expected.stream()
                        .filter(key -> document(opensearch, workload, key) == null)
                        .collect(Collectors.toList());
                if (deadLetters(folder.resolve("dead")).isEmpty()) {
                    missing.add("a committed dead letter");
                }
                return missing;
            });
            // A savepoint flushes the sink: whatever was judged before the markers is in the index now.
            job.triggerSavepoint(temp.resolve("flushed").toUri().toString(), SavepointFormatType.CANONICAL).get();

            for (String key : workload.continued()) {
                JsonNode document = document(opensearch, workload, key);
                assertThat(step(document)).as("step of %s", key).isEqualTo(AFTER_RESTORE);
                assertThat(document.path("_version").asLong()).as("version of %s after its older change", key)
                        .isEqualTo(workload.versions().get(key) + 1);
            }
            for (String key : workload.untouched()) {
                assertThat(document(opensearch, workload, key))
                        .as("%s, changed only before the savepoint and then by a stale letter", key).isNull();
            }
            for (String key : workload.deleted()) {
                assertThat(document(opensearch, workload, key))
                        .as("%s, deleted before the savepoint, then a stale write redriven", key).isNull();
            }
            for (Shard shard : workload.shards()) {
                List<StartingPosition> asked = stream.iteratorRequests(shard.id());
                if (shard.closed()) {
                    assertThat(asked).as("iterators of the finished shard %s", shard.id()).isEmpty();
                } else {
                    assertThat(asked).as("iterators of %s", shard.id()).first().isEqualTo(
                            workload.lastRecordOf(shard.id()).map(c -> StartingPosition.afterSequenceNumber(
                                    c.sequenceNumber())).orElse(StartingPosition.trimHorizon()));
                }
            }
            List<DeadLetter> letters = deadLetters(folder.resolve("dead"));
            assertThat(letters).as("dead letters").hasSize(1);
            assertThat(letters.get(0).stage()).isEqualTo(FailureStage.DECODE);
            assertThat(letters.get(0).getOrigin().getSequence()).isEqualTo(unreadable);
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(JobFailures.count(FLINK, job.getJobID())).as("failures of the restored job").isZero();
            job.cancel().get();
        } finally {
            FakeDynamoDbStreams.unregister(streamName);
        }
    }

    /**
     * Dead letters to redrive: for each document not continued, its last change's shard at a sequence number one
     * below its last (a stale write, to be dropped), then one new document per subtask of the ordering step. The
     * letters are read in order by one reader, so when each marker is indexed, the stale letters bound for its
     * subtask were judged before it.
     */
    private static List<String> redriveLetters(SavepointWorkload workload, List<String> markers, long latest) {
        List<String> lines = new ArrayList<>();
        List<String> stale = new ArrayList<>(workload.untouched());
        stale.addAll(workload.deleted());
        for (String key : stale) {
            Change last = workload.lastChange(key);
            String sequence = new BigInteger(last.sequenceNumber()).subtract(BigInteger.ONE).toString();
            lines.add(letter(workload, key, last.shard(), sequence, last.createdAt()));
        }
        Shard open = workload.openShards().get(0);
        for (String marker : markers) {
            lines.add(letter(workload, marker, open.id(), "1", latest + 120_000));
        }
        return lines;
    }

    private static String letter(SavepointWorkload workload, String key, String shard, String sequence,
            long createdAt) {
        ChangeRecord change = new ChangeRecord();
        change.setTableName(StreamArn.tableNameOf(workload.streamArn()));
        change.setEventId("letter-" + key);
        change.setEventName(ChangeType.MODIFY);
        change.setKeys(DynamoDbJson.write(Map.of(FakeDynamoDbStreams.KEY_ATTRIBUTE, AttributeValue.fromS(key))));
        change.setNewImage(DynamoDbJson.write(SavepointWorkload.item(key, STALE_LETTER)));
        change.setSequenceNumber(sequence);
        change.setShardId(shard);
        change.setParentShardId(workload.shard(shard).parent());
        change.setApproximateCreationTime(createdAt);
        Origin origin = Origin.of(change.getTableName(), DynamoDbChangeMapper.KIND, shard, change.getParentShardId(),
                sequence, createdAt, change.getEventId());
        FailedChange failed = FailedChange.of(origin, RawRecord.json(ChangeRecordJson.write(change)), null,
                Failure.of(FailureStage.CONVERT, "test", "a letter of " + SavepointRestoreIT.class.getSimpleName(),
                        0, createdAt));
        return DeadLetterJson.write(DeadLetter.of(failed, JobInfo.of("searchsync", "0".repeat(32), 0)));
    }

    /** New documents, one keyed to each subtask of the ordering step. */
    private static List<String> markers(SavepointWorkload workload) {
        Map<Integer, String> bySubtask = new LinkedHashMap<>();
        Origin origin = Origin.of("markers", DynamoDbChangeMapper.KIND, "shard", null, "1", 1, "marker");
        for (int i = 0; bySubtask.size() < PARALLELISM; i++) {
            String id = "marker-" + i;
            String key = new DocumentKey().getKey(DocumentAction.index(workload.index(), id, "{}", origin));
            bySubtask.putIfAbsent(KeyGroupRangeAssignment.assignKeyToParallelOperator(key,
                    SearchSyncJob.MAX_PARALLELISM, PARALLELISM), id);
        }
        return new ArrayList<>(bySubtask.values());
    }

    /** Versions as {@code OrderAndVersion} gives them, from the records alone. */
    private static Map<String, Long> expectedVersions(SavepointWorkload workload, Iterable<String> keys) {
        Map<String, Long> last = new LinkedHashMap<>();
        for (Change change : workload.records()) {
            Long before = last.get(change.key());
            last.put(change.key(), Math.max(before == null ? 1 : before + 1, change.createdAt() * 1_000));
        }
        Map<String, Long> out = new LinkedHashMap<>();
        keys.forEach(key -> out.put(key, last.get(key)));
        return out;
    }

    private static JobConfig config(SavepointWorkload workload, OpenSearchServer opensearch, Path folder)
            throws IOException {
        Path dead = Files.createDirectories(folder.resolve("dead"));
        Path redrive = Files.createDirectories(folder.resolve("redrive"));
        return JobConfig.from(PropertyGroups.of(Map.of(
                "source", Map.of("stream.arn", workload.streamArn()),
                "index", Map.of("name", workload.index(), "partition.key", FakeDynamoDbStreams.KEY_ATTRIBUTE),
                "opensearch", Map.of("endpoint", opensearch.httpUrl(), "bulk.flush.interval.ms", "200"),
                "deadletter", Map.of("path", "file://" + dead.toAbsolutePath(),
                        "redrive.path", "file://" + redrive.toAbsolutePath()),
                "load", Map.of("mode", "NEVER"))));
    }

    /** The production pipeline on the fake stream: parallelism 2, heap state, no restarts, no Kryo. */
    private static JobClient start(JobConfig config, String streamName, Path savepoint, Duration stateTtl)
            throws Exception {
        StreamExecutionEnvironment env = SyncJobs.environment(1_000, 0, Duration.ZERO);
        env.setStateBackend(new HashMapStateBackend());
        SearchSyncJob<ChangeRecord> job = SearchSyncJob.dynamoDbStreams(config)
                .withSource(FakeDynamoDbStreams.source(streamName, SyncJobs.fastPolling()));
        if (stateTtl != null) {
            job = job.withStateTtl(stateTtl);
        }
        job.addTo(env);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(SearchSyncJob.jobName(config));
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint.toString(), false));
        }
        return env.executeAsync(graph);
    }

    /** Waits until {@code missing} comes back empty; when the job failed instead, the failure is in the error. */
    private static void await(String what, JobClient job, Callable<List<String>> missing) throws Exception {
        try {
            SyncJobs.awaitEqual(what, Duration.ofMinutes(1), job, missing);
        } catch (AssertionError e) {
            if (job.getJobStatus().get() == JobStatus.FAILED) {
                try {
                    job.getJobExecutionResult().get();
                } catch (ExecutionException failure) {
                    e.addSuppressed(failure.getCause());
                }
            }
            throw e;
        }
    }

    /** The document as {@code GET _doc} answers (real time, no refresh needed); null when there is none. */
    private static JsonNode document(OpenSearchServer opensearch, SavepointWorkload workload, String id) {
        OpenSearchServer.Response response = opensearch.exchange("GET", "/" + workload.index() + "/_doc/" + id, null);
        if (response.status() == 404) {
            return null;
        }
        try {
            JsonNode document = JSON.readTree(response.body());
            if (response.status() != 200 || !document.path("found").asBoolean()) {
                throw new IllegalStateException("GET " + id + " answered " + response.status() + ": "
                        + response.body());
            }
            return document;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String step(JsonNode document) {
        return document == null ? null : document.path("_source").path("step").asText(null);
    }

    /** The letters in committed part files (in-progress ones are hidden, their names start with a dot). */
    private static List<DeadLetter> deadLetters(Path folder) throws IOException {
        List<DeadLetter> letters = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                String name = file.getFileName().toString();
                if (name.startsWith(DeadLetterSinks.PART_PREFIX) && name.endsWith(DeadLetterSinks.PART_SUFFIX)) {
                    for (String line : Files.readAllLines(file)) {
                        if (!line.isBlank()) {
                            letters.add(DeadLetterJson.read(line));
                        }
                    }
                }
            }
        }
        return letters;
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.collect(Collectors.toList())) {
                Path copy = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        }
        return to;
    }
}
