package dev.searchsync.bench;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.aws.StreamReference;
import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.DynamoDbChangeConverter;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.config.JobConfig;
import dev.searchsync.config.PropertyGroups;
import dev.searchsync.it.Clusters;
import dev.searchsync.it.IndexComparison;
import dev.searchsync.it.SyncJobs;
import dev.searchsync.it.TypedWorkload;
import dev.searchsync.local.FlinkRest;
import dev.searchsync.ordering.KeyVersionState;
import dev.searchsync.source.ShardStreamSource;
import dev.searchsync.source.dynamodb.DynamoDbStreamsShardClient;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import com.fasterxml.jackson.databind.JsonNode;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectClusterRESTAddress;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Issue 15's speed benchmark: the job's catch-up rate against the raw {@code _bulk} ceiling of the same OpenSearch,
 * the job on moto against moto's own GetRecords rate, latency at a steady 1,000 changes/s, bytes, state and heap per
 * record, and how many writes a hot-key load costs OpenSearch. One run, parts one after another so none shares the
 * machine with another. Run it with {@code mvn -B -Pbench verify} (docs/performance.md, "Speed benchmark"); it
 * prints a report and writes it to {@code target/speed-benchmark.txt}. It asserts correctness (every index ends
 * equal to its source), never speed.
 *
 * <p>{@code -Dbench.parts=abcdf} picks parts ((e) comes with (b)); {@code -Dbench.jfr=<file>} records part (b) with
 * Java Flight Recorder's "profile" settings; {@code -Dbench.warmups=N} runs N uncounted catch-ups before (b) (default
 * {@value #WARM_UPS}); {@code -Dbench.repeats=N} runs (b) N times and takes the median (default {@value #REPEATS});
 * {@code -Dbench.config=group/key=value,...} sets job options over the defaults.
 */
class SpeedBenchmark {
    private static final long SEED = 20261201L;
    private static final int SHARDS = 4;
    /**
     * Uncounted catch-ups before (b): after one, the JIT compilers still used a quarter of a core during (b); after
     * two, half of that, which a job running for hours no longer pays.
     */
    private static final int WARM_UPS = 2;
    /** Uncounted passes of (a) before its first measured one. */
    private static final int RAW_WARM_UPS = 3;
    /** Runs of (b) after the warm-ups; its rate is their median. */
    private static final int REPEATS = 3;
    private static final int CATCH_UP_CHANGES = 55_000;
    private static final int CATCH_UP_KEYS = 30_000;
    private static final int MOTO_CHANGES = 8_000;
    private static final int MOTO_KEYS = 2_000;
    private static final int STEADY_PER_SECOND = 1_000;
    private static final int STEADY_SECONDS = 60;
    /** The first seconds of the steady run are left out of the probe's latency: the idle shards' polls back off. */
    private static final int STEADY_WARM_UP_SECONDS = 5;
    private static final int HOT_CHANGES = 50_000;
    private static final int HOT_KEYS = 10_000;
    private static final int BULK_ACTIONS = 1_000;
    /** As a production job would checkpoint (MSF's default is 60 s; 10 s makes a checkpoint happen within a run). */
    private static final long CHECKPOINT_MILLIS = 10_000;
    private static final String SOURCE_VERTEX = "Source: DynamoDB stream";
    private static final String SINK_OPERATOR = "OpenSearch";
    /** What the test bed's moto server has in its command line, to find its process. */
    private static final String MOTO_COMMAND = "moto";
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofMinutes(5);

    /**
     * The ITs' cluster (one TaskManager, two slots), with the REST API's metrics fetched every second instead of
     * every 10 s, so that samples taken during a run of a minute are current.
     */
    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots(new org.apache.flink.configuration.Configuration()
            .set(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL, 1_000L));

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    private final StringBuilder report = new StringBuilder();
    private final List<String[]> summary = new ArrayList<>();
    private OpenSearchServer opensearch;
    private FlinkRest rest;

    @Test
    void speed(@InjectClusterRESTAddress URI restAddress) throws Exception {
        opensearch = OPENSEARCH.server();
        rest = new FlinkRest(restAddress.toString());
        String parts = System.getProperty("bench.parts", "abcdf");
        machine();
        GeneratedChanges catchUp = GeneratedChanges.uniform(CATCH_UP_CHANGES, CATCH_UP_KEYS, SHARDS, SEED);
        double rawBefore = parts.contains("a") ? rawBulk(catchUp, "before (b)") : Double.NaN;
        if (parts.contains("b")) {
            List<String[]> partE = new ArrayList<>();
            for (int i = Integer.getInteger("bench.warmups", WARM_UPS); i > 0; i--) {
                plainCatchUp(catchUp, "warm-up catch-up into a throw-away index", "not counted");
            }
            // The rate moves by a fifth from one run to the next on this machine: (b) is the median of its runs,
            // the last of which prints the details.
            List<Double> rates = new ArrayList<>();
            for (int i = Integer.getInteger("bench.repeats", REPEATS); i > 1; i--) {
                rates.add(plainCatchUp(catchUp, "(b) run " + (rates.size() + 1) + ", into a throw-away index",
                        "details with the last run"));
            }
            rates.add(catchUp(catchUp, partE));
            double rate = median(rates);
            if (rates.size() > 1) {
                out("%n(b) over %d runs: %s changes/s; median %,.0f", rates.size(), rates.stream()
                        .map(r -> String.format("%,.0f", r)).collect(Collectors.joining(", ")), rate);
            }
            // The machine is shared with other work: (a) on both sides of (b) shows how much the ceiling moved.
            double rawAfter = parts.contains("a") ? rawBulk(catchUp, "after (b)") : Double.NaN;
            double raw = (rawBefore + rawAfter) / 2;
            out("%n(b)/(a): %s against (a) before, %s against (a) after, %s against their mean %,.0f docs/s",
                    ratio(rate, rawBefore), ratio(rate, rawAfter), ratio(rate, raw), raw);
            summary.add(row("(a) raw _bulk, 1000/bulk, 2 threads: before (b)", rawBefore, "docs/s", "", "ceiling"));
            summary.add(row("(a) raw _bulk, 1000/bulk, 2 threads: after (b)", rawAfter, "docs/s", "", "ceiling"));
            summary.add(row("(b) job catch-up, generated stream", rate, "changes/s", ratio(rate, raw),
                    ">= 0.7 x mean (a)"));
            summary.addAll(partE);
        } else if (parts.contains("a")) {
            summary.add(row("(a) raw _bulk, 1000/bulk, 2 threads", rawBefore, "docs/s", "", "ceiling"));
        }
        catchUp = null;
        if (parts.contains("c")) {
            emulator(MOTO.server());
        }
        if (parts.contains("d")) {
            steadyLatency();
        }
        if (parts.contains("f")) {
            hotKeys();
        }
        out("%n=== Summary ===");
        out("%-58s %16s %8s %s", "what", "rate", "ratio", "target");
        summary.forEach(row -> out("%-58s %16s %8s %s", (Object[]) row));
        Path file = Path.of(System.getProperty("basedir", "."), "target", "speed-benchmark.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report.toString(), StandardCharsets.UTF_8);
        out("%n(report written to %s)", file);
    }

    // ---- (a) ------------------------------------------------------------------------------------------------

    private double rawBulk(GeneratedChanges changes, String when) throws Exception {
        String index = "speed-raw";
        JobConfig config = generatedConfig(index);
        opensearch.deleteIndex(index);
        SearchSyncJob.prepareIndex(config);
        out("%n=== (a) raw _bulk, %s: the catch-up's %,d changes, an action each (index with the document as"
                + " the job renders it, or delete; _id, external version), bulks of %,d, 2 client threads, fresh index"
                + " from the job's template ===", when, changes.changes().size(), BULK_ACTIONS);
        if (when.startsWith("before")) {
            // Passes into a throw-away index warm OpenSearch's JIT, as the job's runs all find it warm: after one,
            // (a) still ran at half the rate it had after (b).
            String warmUp = "speed-raw-warm-up";
            for (int i = 0; i < RAW_WARM_UPS; i++) {
                opensearch.deleteIndex(warmUp);
                SearchSyncJob.prepareIndex(generatedConfig(warmUp));
                RawBulk.Result warm = RawBulk.run(opensearch, warmUp, changes, BULK_ACTIONS, 2);
                out("warm-up pass %d into a throw-away index: %.1f s, %,.0f docs/s (not counted)", i + 1,
                        warm.seconds(), warm.perSecond());
            }
            opensearch.deleteIndex(warmUp);
        }
        long openSearchCpu = ThreadCpu.childCpuMillis(ThreadCpu.OPENSEARCH_COMMAND);
        RawBulk.Result result = RawBulk.run(opensearch, index, changes, BULK_ACTIONS, 2);
        openSearchCpu = ThreadCpu.childCpuMillis(ThreadCpu.OPENSEARCH_COMMAND) - openSearchCpu;
        opensearch.refresh(index);
        assertThat(opensearch.count(index)).as("raw index documents").isEqualTo(changes.finalItems().size());
        out("%,d actions in %,d bulks, %,.1f MB of NDJSON, %.1f s: %,.0f docs/s; the OpenSearch server's CPU %,d ms"
                + " (%.0f µs per action)", result.actions(), result.bulks(), result.bodyBytes() / 1e6,
                result.seconds(), result.perSecond(), openSearchCpu, 1000.0 * openSearchCpu / result.actions());
        load();
        return result.perSecond();
    }

    // ---- (b) and (e) ----------------------------------------------------------------------------------------

    /**
     * The catch-up of (b) into a throw-away index, its rate printed as {@code what} with {@code note}: as warm-up
     * (the first job in this JVM spends seconds compiling the pipeline's code, which a running job has long done), or
     * as one more run of (b).
     */
    private double plainCatchUp(GeneratedChanges changes, String what, String note) throws Exception {
        String index = "speed-warm-up";
        JobConfig config = generatedConfig(index);
        GeneratedStream stream = GeneratedStream.register(arn(index), changes);
        try {
            StreamExecutionEnvironment env = preFilledCatchUp(index, config, stream, changes);
            long start = System.nanoTime();
            JobClient job = env.executeAsync(index);
            try {
                long end = awaitIndexEquals(job, index, changes.finalItems(), stream::servedAll, null);
                double rate = changes.changes().size() / ((end - start) / 1e9);
                out("%n%s: %.1f s, %,.0f changes/s (%s)", what, (end - start) / 1e9, rate, note);
                return rate;
            } finally {
                job.cancel().get();
                opensearch.deleteIndex(index);
            }
        } finally {
            stream.close();
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /**
     * The production pipeline at parallelism 2 reading {@code stream}, its changes made two minutes ago and more (a
     * backlog), into {@code index}, emptied and prepared; the caller submits it.
     */
    private StreamExecutionEnvironment preFilledCatchUp(String index, JobConfig config, GeneratedStream stream,
            GeneratedChanges changes) throws IOException {
        stream.release(System.currentTimeMillis() - 120_000 - changes.changes().size(), STEADY_PER_SECOND);
        opensearch.deleteIndex(index);
        SearchSyncJob.prepareIndex(config);
        StreamExecutionEnvironment env = SyncJobs.environment(CHECKPOINT_MILLIS, 0, Duration.ZERO);
        SearchSyncJob.dynamoDbStreams(config).withSource(new ShardStreamSource<>(stream.factory(),
                new DynamoDbChangeConverter(), config.source().settings())).addTo(env);
        return env;
    }

    /** Runs (b) and (e); returns (b)'s changes/s and leaves (e)'s summary rows in {@code partE}. */
    private double catchUp(GeneratedChanges changes, List<String[]> partE) throws Exception {
        String index = "speed-catchup";
        out("%n=== (b) catch-up of a pre-filled generated stream: %,d changes (%s), %d shards, the production"
                + " pipeline at parallelism 2, %s, checkpoint every %d s ===",
                changes.changes().size(), changes.mix(), SHARDS,
                System.getProperty("bench.config", "").isBlank() ? "opensearch group defaults"
                        : "defaults but for " + System.getProperty("bench.config"), CHECKPOINT_MILLIS / 1000);
        List<Map<String, AttributeValue>> items = changes.finalItems();
        JobConfig config = generatedConfig(index);
        GeneratedStream stream = GeneratedStream.register(arn(index), changes);
        Recording recording = null;
        try {
            StreamExecutionEnvironment env = preFilledCatchUp(index, config, stream, changes);
            long heapBefore = HeapSampler.usedAfterGc();
            String jfr = System.getProperty("bench.jfr", "");
            if (!jfr.isEmpty()) {
                recording = new Recording(Configuration.getConfiguration("profile"));
                recording.setName("speed-benchmark-catch-up");
                recording.start();
            }
            HeapSampler heap = new HeapSampler();
            ThreadCpu cpu = new ThreadCpu();
            long start = System.nanoTime();
            JobClient job = env.executeAsync(index);
            JobMetrics metrics = new JobMetrics(rest, job.getJobID().toHexString()).startSampling();
            try {
                long end = awaitIndexEquals(job, index, items, stream::servedAll, cpu);
                Map<String, Long> cpuMillis = cpu.marked();
                metrics.close();
                heap.close();
                if (recording != null) {
                    recording.dump(Path.of(jfr));
                    recording.close();
                    recording = null;
                    out("JFR recording of the catch-up written to %s", jfr);
                }
                long heapAfter = HeapSampler.usedAfterGc();
                double seconds = (end - start) / 1e9;
                double rate = changes.changes().size() / seconds;
                out("catch-up %.1f s (submission until the index equals the final items, %,d documents): %,.0f"
                        + " changes/s", seconds, items.size(), rate);
                OptionalLong bulks = metrics.counter(SINK_OPERATOR, "bulkRequests");
                OptionalLong sent = metrics.counter(SINK_OPERATOR, "bulkActionsSent");
                out("the sink sent %s bulk requests with %s actions (%s per bulk; %s coalesced)", text(bulks),
                        text(sent), bulks.isPresent() && sent.isPresent() && bulks.getAsLong() > 0
                                ? String.format("%,.0f", (double) sent.getAsLong() / bulks.getAsLong()) : "n/a",
                        text(metrics.counter(SINK_OPERATOR, "actionsCoalesced")));
                metrics.printTimes(this::out);
                long wall = cpuMillis.remove("wall");
                out("  CPU over the catch-up's %,d ms of wall time (%d cores):", wall,
                        Runtime.getRuntime().availableProcessors());
                cpuMillis.forEach((group, ms) -> out("  %-78s %,7d ms  %5.1f%% of one core", group, ms,
                        100.0 * ms / wall));
                load();

                out("%n=== (e) bytes, state and heap of run (b) ===");
                long[] edge = awaitEdge(metrics, changes.changes().size());
                out("across the keyBy: %,d records, %,d bytes out of '%s' (numRecordsOut, numBytesOut): %,.0f"
                        + " bytes/record", edge[0], edge[1], SOURCE_VERTEX, (double) edge[1] / edge[0]);
                out("KeyVersionState serialized by Flink's PojoSerializer: %d bytes for a key of this run (21-digit"
                        + " sequence number, its shard id, no earlier shards)", keyStateBytes());
                Map<String, Long> checkpoint = awaitCheckpointAfter(metrics, System.currentTimeMillis());
                out("last completed checkpoint after the catch-up: #%d, state size %,d bytes (HashMapStateBackend,"
                        + " full snapshot) / %,d keys = %,.0f bytes per key", checkpoint.get("id"),
                        checkpoint.get("state_size"), changes.keys(),
                        (double) checkpoint.get("state_size") / changes.keys());
                out("heap: %,d MB used after GC before submission (the generated stream: %,d SDK records held"
                        + " in this JVM), peak %,d MB during the catch-up (sampled every 50 ms), %,d MB after GC at"
                        + " its end; max heap %,d MB", heapBefore >> 20, changes.changes().size(),
                        heap.peakBytes() >> 20, heapAfter >> 20, HeapSampler.maxBytes() >> 20);
                partE.add(new String[] {"(e) bytes/record across keyBy", String.format("%,.0f B", (double) edge[1]
                        / edge[0]), "", ""});
                partE.add(new String[] {"(e) checkpointed state per key", String.format("%,.0f B",
                        (double) checkpoint.get("state_size") / changes.keys()), "", ""});
                partE.add(new String[] {"(e) heap peak / after GC (MB)", String.format("%,d / %,d",
                        heap.peakBytes() >> 20, heapAfter >> 20), "", ""});
                return rate;
            } finally {
                metrics.close();
                job.cancel().get();
            }
        } finally {
            if (recording != null) {
                recording.close();
            }
            stream.close();
        }
    }

    private static int keyStateBytes() throws IOException {
        KeyVersionState state = new KeyVersionState();
        state.version = System.currentTimeMillis() * 1_000;
        state.sequenceNumber = "100000000000000012345";
        state.shardId = "shardId-00000001764547200000-a1b2c3d0";
        state.createdAt = System.currentTimeMillis();
        state.expiresAt = state.createdAt + Duration.ofDays(7).toMillis();
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        TypeSerializer<KeyVersionState> serializer = TypeInformation.of(KeyVersionState.class).createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(512);
        serializer.serialize(state, out);
        return out.length();
    }

    /** The source vertex's counts once every change has crossed and they held for two metric fetches. */
    private static long[] awaitEdge(JobMetrics metrics, long records) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long[] last = null;
        int same = 0;
        while (System.nanoTime() < deadline) {
            long[] edge = metrics.recordsAndBytesOut(SOURCE_VERTEX);
            same = last != null && last[0] == edge[0] && last[1] == edge[1] ? same + 1 : 0;
            if (edge[0] >= records && same >= 2) {
                return edge;
            }
            last = edge;
            Thread.sleep(1_000);
        }
        fail("The source vertex's records out did not settle at " + records);
        return last;
    }

    private static Map<String, Long> awaitCheckpointAfter(JobMetrics metrics, long epochMillis)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMillis(CHECKPOINT_MILLIS * 3).toNanos();
        while (System.nanoTime() < deadline) {
            var checkpoint = metrics.lastCheckpoint();
            if (checkpoint.isPresent() && checkpoint.get().get("trigger_timestamp") >= epochMillis) {
                return checkpoint.get();
            }
            Thread.sleep(500);
        }
        fail("No checkpoint completed within " + 3 * CHECKPOINT_MILLIS + " ms after the catch-up");
        return null;
    }

    // ---- (c) ------------------------------------------------------------------------------------------------

    private void emulator(MotoServer moto) throws Exception {
        String table = "speed-moto";
        String streamArn = moto.createTableWithStream(table, TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        TypedWorkload workload = new TypedWorkload(moto.client(), table, MOTO_KEYS, SEED);
        long fillStart = System.nanoTime();
        workload.write(MOTO_CHANGES);
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        List<Map<String, AttributeValue>> items = workload.scan();
        out("%n=== (c) the emulator: %,d TypedWorkload changes over %,d keys written to moto (%.1f s), one"
                + " NEW_AND_OLD_IMAGES stream (moto: one shard) ===", MOTO_CHANGES, MOTO_KEYS, fillSeconds);

        long rawStart = System.nanoTime();
        long motoCpu = ThreadCpu.childCpuMillis(MOTO_COMMAND);
        AtomicLong rawCalls = new AtomicLong();
        long records = rawGetRecords(moto.streamsClient(), streamArn, rawCalls);
        double rawSeconds = (System.nanoTime() - rawStart) / 1e9;
        double rawRate = records / rawSeconds;
        out("(c1) raw GetRecords from TRIM_HORIZON, Limit 1000, one thread per shard: %,d records in %.1f s:"
                + " %,.0f records/s; %,d GetRecords calls; moto's CPU %,d ms", records, rawSeconds, rawRate,
                rawCalls.get(), ThreadCpu.childCpuMillis(MOTO_COMMAND) - motoCpu);

        // The ITs' configuration: the production defaults of the opensearch group, as the ITs' flush interval is the
        // production default now (a stale override to 1 s held the last bulk back up to 2 s).
        JobConfig config = SyncJobs.config(moto, opensearch, streamArn, table, Map.of());
        opensearch.deleteIndex(table);
        SearchSyncJob.prepareIndex(config);
        StreamExecutionEnvironment env = SyncJobs.environment(CHECKPOINT_MILLIS, 0, Duration.ZERO);
        // The production source, each client timed: where the read's time goes, between calls or in them.
        StreamReference stream = config.source().stream();
        AwsClientSettings aws = config.source().aws();
        TimedShardClient.FIRST_ITERATOR_NANOS.clear();
        TimedShardClient.CALLS.clear();
        TimedShardClient.NANOS_IN_CALLS.clear();
        TimedShardClient.RECORDS.reset();
        TimedShardClient.LAST_RECORDS_NANOS.set(0);
        SearchSyncJob.dynamoDbStreams(config).withSource(new ShardStreamSource<>(
                () -> new TimedShardClient<>(new DynamoDbStreamsShardClient(stream, aws)),
                new DynamoDbChangeConverter(), config.source().settings())).addTo(env);
        long start = System.nanoTime();
        motoCpu = ThreadCpu.childCpuMillis(MOTO_COMMAND);
        JobClient job = env.executeAsync(table);
        JobMetrics metrics = new JobMetrics(rest, job.getJobID().toHexString()).startSampling();
        try {
            long running = SyncJobs.awaitRunning(job);
            long end = awaitIndexEquals(job, table, items, () -> TimedShardClient.RECORDS.sum() >= records, null);
            long motoMillis = ThreadCpu.childCpuMillis(MOTO_COMMAND) - motoCpu;
            metrics.close();
            double seconds = (end - start) / 1e9;
            double rate = records / seconds;
            out("(c2) the production job (SearchSyncJob.dynamoDbStreams, production source settings): %.1f s"
                    + " from submission (RUNNING after %.1f s) until the index equals the table: %,.0f records/s;"
                    + " ratio c2/c1 %.2f", seconds, (running - start) / 1e9, rate, rate / rawRate);
            out("the last GetRecords that returned records ended %.1f s after submission; the source's GetRecords"
                    + " calls %,d; moto's CPU %,d ms", (TimedShardClient.LAST_RECORDS_NANOS.get() - start) / 1e9,
                    metrics.counter("Source: DynamoDB stream", "getRecordsCalls").orElse(-1), motoMillis);
            TimedShardClient.FIRST_ITERATOR_NANOS.forEach((shard, first) -> out("  shard %s: first iterator %.1f s"
                    + " after submission; %,d GetRecords calls that returned records, %.1f s inside them", shard,
                    (first.get() - start) / 1e9, TimedShardClient.CALLS.getOrDefault(shard, new LongAdder()).sum(),
                    TimedShardClient.NANOS_IN_CALLS.getOrDefault(shard, new LongAdder()).sum() / 1e9));
            metrics.printTimes(this::out);
            load();
            summary.add(row("(c1) moto raw GetRecords", rawRate, "records/s", "", ""));
            summary.add(row("(c2) job catch-up on moto", rate, "records/s", ratio(rate, rawRate), ">= 0.9 x (c1)"));
        } finally {
            metrics.close();
            job.cancel().get();
        }
    }

    /** Every record of every shard, one thread per shard, each GetRecords right after the last. */
    private static long rawGetRecords(DynamoDbStreamsClient streams, String streamArn, AtomicLong calls)
            throws Exception {
        List<Shard> shards = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards();
        AtomicLong records = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(shards.size());
        try {
            List<Future<?>> readers = new ArrayList<>();
            for (Shard shard : shards) {
                readers.add(pool.submit(() -> {
                    String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                    // moto never closes its shard: the read ends at the first empty batch.
                    while (iterator != null) {
                        String from = iterator;
                        GetRecordsResponse batch = streams.getRecords(b -> b.shardIterator(from).limit(1_000));
                        calls.incrementAndGet();
                        if (batch.records().isEmpty()) {
                            break;
                        }
                        records.addAndGet(batch.records().size());
                        iterator = batch.nextShardIterator();
                    }
                    return null;
                }));
            }
            for (Future<?> reader : readers) {
                reader.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return records.get();
    }

    // ---- (d) ------------------------------------------------------------------------------------------------

    private void steadyLatency() throws Exception {
        String index = "speed-latency";
        GeneratedChanges changes = GeneratedChanges.uniform(STEADY_PER_SECOND * STEADY_SECONDS, CATCH_UP_KEYS,
                SHARDS, SEED + 1);
        out("%n=== (d) latency at a steady %,d changes/s: %,d changes (%s) released in real time over %d shards,"
                + " ApproximateCreationDateTime = release time (ms), production source polling ===",
                STEADY_PER_SECOND, changes.changes().size(), changes.mix(), SHARDS);
        JobConfig config = generatedConfig(index);
        GeneratedStream stream = GeneratedStream.register(arn(index), changes);
        try {
            opensearch.deleteIndex(index);
            SearchSyncJob.prepareIndex(config);
            StreamExecutionEnvironment env = SyncJobs.environment(CHECKPOINT_MILLIS, 0, Duration.ZERO);
            SearchSyncJob.dynamoDbStreams(config).withSource(new ShardStreamSource<>(stream.factory(),
                    new DynamoDbChangeConverter(), config.source().settings())).addTo(env);
            JobClient job = env.executeAsync(index);
            JobMetrics metrics = new JobMetrics(rest, job.getJobID().toHexString());
            try {
                SyncJobs.awaitRunning(job);
                Thread.sleep(5_000);
                // Ahead of now by more than building the records takes, so that none is due before it exists.
                long first = System.currentTimeMillis() + 3_000;
                stream.release(first, STEADY_PER_SECOND);
                Map<String, Integer> nextChangeOfKey = new java.util.HashMap<>();
                int[] next = new int[changes.changes().size()];
                for (int i = next.length - 1; i >= 0; i--) {
                    next[i] = nextChangeOfKey.getOrDefault(changes.changes().get(i).documentId(), Integer.MAX_VALUE);
                    nextChangeOfKey.put(changes.changes().get(i).documentId(), i);
                }
                // A write its key's next change follows within 10 s may never be seen (a delete) or be seen late
                // (a re-insert): such samples would measure the workload, not the job.
                List<LatencyProbe.Sample> samples = changes.changes().stream()
                        .filter(c -> c.newImage() != null && c.ordinal() % 20 == 0
                                && (long) next[c.ordinal()] - c.ordinal() > 10L * STEADY_PER_SECOND)
                        .map(c -> new LatencyProbe.Sample(c.documentId(), c.ordinal(),
                                first + c.ordinal() * 1_000L / STEADY_PER_SECOND))
                        .collect(Collectors.toList());
                List<Long> probed;
                int unseen;
                try (LatencyProbe probe = new LatencyProbe(opensearch, index, samples, 50)) {
                    Thread.sleep(Math.max(0, first + STEADY_SECONDS * 1_000L - System.currentTimeMillis()));
                    awaitIndexEquals(job, index, changes.finalItems(), null, null);
                    Thread.sleep(1_000);
                    probed = probe.latencies(first + STEADY_WARM_UP_SECONDS * 1_000L);
                    unseen = probe.unseen();
                }
                out("probe (outside the job): %,d of %,d sampled writes (every 20th change, if a write its key's next change does not follow within 10 s; the first"
                        + " %d s left out) seen by a real-time _mget every 50 ms, %d never seen:"
                        + " p50 %,d ms, p99 %,d ms, max %,d ms", probed.size(), samples.size(),
                        STEADY_WARM_UP_SECONDS, unseen, LatencyProbe.percentile(probed, 50),
                        LatencyProbe.percentile(probed, 99), probed.isEmpty() ? -1 : probed.get(probed.size() - 1));
                Thread.sleep(2_000);
                // Flink's REST API names a histogram's median "_median"; its other quantiles "_p75" ... "_p999".
                Map<String, String> p50 = metrics.metric(SINK_OPERATOR, "changeToIndexedMillis_median");
                Map<String, String> p99 = metrics.metric(SINK_OPERATOR, "changeToIndexedMillis_p99");
                for (int attempt = 0; (p50.isEmpty() || p99.isEmpty()) && attempt < 10; attempt++) {
                    // The REST API's metric store fills on its own fetch cycle, and can answer empty meanwhile.
                    Thread.sleep(1_000);
                    p50 = metrics.metric(SINK_OPERATOR, "changeToIndexedMillis_median");
                    p99 = metrics.metric(SINK_OPERATOR, "changeToIndexedMillis_p99");
                }
                String jobP99;
                if (p99.isEmpty()) {
                    jobP99 = "n/a";
                    out("job metric changeToIndexedMillis: n/a (metric not present; %s's metrics containing"
                            + " 'Millis': %s)", SINK_OPERATOR, metrics.metricIdsContaining(SINK_OPERATOR, "Millis"));
                } else {
                    Map<String, String> max = metrics.metric(SINK_OPERATOR, "changeToIndexedMillis_max");
                    out("job metric changeToIndexedMillis (whole run, per subtask): p50 %s, p99 %s, max %s", p50,
                            p99, max);
                    jobP99 = String.format("%,.0f ms", p99.values().stream().mapToDouble(Double::parseDouble)
                            .max().orElse(Double.NaN));
                }
                load();
                summary.add(new String[] {"(d) p99 change-to-visible, probe (1,000/s)",
                        String.format("%,d ms", LatencyProbe.percentile(probed, 99)), "", "< 1 s"});
                summary.add(new String[] {"(d) p99 changeToIndexedMillis, job metric", jobP99, "", "< 1 s"});
            } finally {
                job.cancel().get();
            }
        } finally {
            stream.close();
        }
    }

    // ---- (f) ------------------------------------------------------------------------------------------------

    private void hotKeys() throws Exception {
        String index = "speed-hotkey";
        GeneratedChanges changes = new GeneratedChanges(HOT_CHANGES, HOT_KEYS, SHARDS, SEED + 2, 10, 90);
        out("%n=== (f) hot keys: %,d changes (%s), 90%% of them on 10%% of the keys, caught up from a pre-filled"
                + " stream ===", changes.changes().size(), changes.mix());
        out("OpenSearch's counting, checked on a probe index: %s", conflictCounting());
        JobConfig config = generatedConfig(index);
        GeneratedStream stream = GeneratedStream.register(arn(index), changes);
        try {
            StreamExecutionEnvironment env = preFilledCatchUp(index, config, stream, changes);
            long start = System.nanoTime();
            JobClient job = env.executeAsync(index);
            JobMetrics metrics = new JobMetrics(rest, job.getJobID().toHexString()).startSampling();
            try {
                long end = awaitIndexEquals(job, index, changes.finalItems(), stream::servedAll, null);
                metrics.close();
                double seconds = (end - start) / 1e9;
                Thread.sleep(2_000);
                JsonNode stats = opensearch.requestJson("GET", "/" + index + "/_stats/indexing", null)
                        .path("_all").path("primaries").path("indexing");
                long indexTotal = stats.path("index_total").asLong();
                long deleteTotal = stats.path("delete_total").asLong();
                long writes = indexTotal + deleteTotal;
                OptionalLong sent = metrics.counter(SINK_OPERATOR, "bulkActionsSent");
                OptionalLong coalesced = metrics.counter(SINK_OPERATOR, "actionsCoalesced");
                out("caught up in %.1f s (%,.0f changes/s); index equals the final %,d items", seconds,
                        changes.changes().size() / seconds, changes.finalItems().size());
                out("OpenSearch _stats/indexing (primaries): index_total %,d + delete_total %,d = %,d write actions"
                        + " (index_failed %,d, not counted)", indexTotal, deleteTotal, writes,
                        stats.path("index_failed").asLong());
                out("job counters: bulkActionsSent %s, actionsCoalesced %s", text(sent), text(coalesced));
                out("changes / write actions = %,d / %,d = %.2f", changes.changes().size(), writes,
                        (double) changes.changes().size() / writes);
                load();
                summary.add(new String[] {"(f) hot keys: changes / OpenSearch write actions",
                        String.format("%,d / %,d", changes.changes().size(), writes),
                        String.format("%.2f", (double) changes.changes().size() / writes), ">= 5"});
            } finally {
                metrics.close();
                job.cancel().get();
            }
        } finally {
            stream.close();
        }
    }

    /**
     * Whether a write refused for its version shows in {@code index_total}: the job's stale writes are such
     * conflicts, so the count of write actions OpenSearch received depends on it.
     */
    private String conflictCounting() {
        String index = "speed-conflict-probe";
        opensearch.deleteIndex(index);
        opensearch.request("PUT", "/" + index, "{\"settings\":{\"number_of_replicas\":0}}");
        int[] statuses = {
            opensearch.status("PUT", "/" + index + "/_doc/1?version=5&version_type=external", "{\"a\":1}"),
            opensearch.status("PUT", "/" + index + "/_doc/1?version=3&version_type=external", "{\"a\":2}"),
            opensearch.status("DELETE", "/" + index + "/_doc/1?version=4&version_type=external", null),
            opensearch.status("DELETE", "/" + index + "/_doc/1?version=6&version_type=external", null)};
        JsonNode stats = opensearch.requestJson("GET", "/" + index + "/_stats/indexing", null)
                .path("_all").path("primaries").path("indexing");
        opensearch.deleteIndex(index);
        return String.format("index v5 %d, index v3 %d, delete v4 %d, delete v6 %d -> index_total %d, index_failed"
                + " %d, delete_total %d (refused for their version: %s)", statuses[0], statuses[1], statuses[2],
                statuses[3], stats.path("index_total").asLong(), stats.path("index_failed").asLong(),
                stats.path("delete_total").asLong(),
                stats.path("index_total").asLong() == 1 ? "not in index_total" : "counted in index_total");
    }

    // ---- shared ---------------------------------------------------------------------------------------------

    /** A generated stream's job configuration: the production defaults but for the index's mapping and key. */
    private JobConfig generatedConfig(String index) {
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put("source", new HashMap<>(Map.of("stream.arn", arn(index))));
        groups.put("index", new HashMap<>(Map.of("name", index, "mapping", "e2e-test.json",
                "partition.key", TypedWorkload.HASH_KEY, "sort.key", TypedWorkload.RANGE_KEY)));
        groups.put("opensearch", new HashMap<>(Map.of("endpoint", opensearch.httpUrl())));
        groups.put("load", new HashMap<>(Map.of("mode", "NEVER")));
        // -Dbench.config=opensearch/bulk.max.in.flight=1,... measures a setting against the defaults.
        for (String setting : System.getProperty("bench.config", "").split(",")) {
            if (!setting.isBlank()) {
                int slash = setting.indexOf('/');
                int equals = setting.indexOf('=');
                groups.computeIfAbsent(setting.substring(0, slash).trim(), g -> new HashMap<>())
                        .put(setting.substring(slash + 1, equals).trim(), setting.substring(equals + 1).trim());
            }
        }
        return JobConfig.from(PropertyGroups.of(groups));
    }

    /** A well-formed stream ARN for a table named as the index; its table name is what the job writes. */
    private static String arn(String table) {
        return "arn:aws:dynamodb:us-east-1:123456789012:table/" + table + "/stream/2026-12-01T00:00:00.000";
    }

    /**
     * Waits until the index holds exactly {@code items}; returns {@link System#nanoTime} before the refresh that
     * showed it, so the time of the comparison itself is not counted. The count is cheap and polled often; the
     * full comparison runs only when the count is right. With {@code readAll}, the index is only polled once it says
     * the source has read everything. With {@code cpu}, its CPU times are marked before each full
     * comparison, so the comparison's own CPU is not counted either.
     */
    private long awaitIndexEquals(JobClient job, String index, List<Map<String, AttributeValue>> items,
            BooleanSupplier readAll, ThreadCpu cpu) throws Exception {
        KeySchema schema = GeneratedChanges.SCHEMA;
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        List<String> differences = List.of();
        while (System.nanoTime() < deadline) {
            long before = System.nanoTime();
            // Refreshes every 200 ms would slow the indexing measured (tiny segments, merges): none before the
            // source has read everything, when the sink still has the most to write.
            if ((readAll == null || readAll.getAsBoolean()) && opensearch.status("GET", "/" + index, null) == 200) {
                opensearch.refresh(index);
                if (opensearch.count(index) == items.size()) {
                    if (cpu != null) {
                        cpu.mark();
                    }
                    differences = IndexComparison.differences(items, schema, opensearch, index);
                    if (differences.isEmpty()) {
                        return before;
                    }
                }
            }
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                fail("The job ended (" + job.getJobStatus().get() + ") before " + index + " equalled its source");
            }
            Thread.sleep(200);
        }
        fail(index + " did not equal its source within " + CATCH_UP_TIMEOUT + "; " + differences.size()
                + " differences at the last full comparison, first: "
                + differences.subList(0, Math.min(5, differences.size())));
        return -1;
    }

    private void machine() throws Exception {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> l.replaceAll("\\D+", "")).map(kb -> Long.parseLong(kb) >> 20)
                .map(gb -> gb + " GiB").orElse("?");
        out("=== Speed benchmark (issue 15), %s ===", Instant.now());
        out("machine: %d cores (nproc), %s, %s; JVM %s %s, max heap %,d MB", Runtime.getRuntime().availableProcessors(),
                memory, cpu, System.getProperty("java.vm.name"), Runtime.version(), HeapSampler.maxBytes() >> 20);
        String dirty = git("status", "--porcelain", "--untracked-files=no").isEmpty() ? "" : " (plus uncommitted changes)";
        out("commit: %s%s; OpenSearch %s", git("rev-parse", "HEAD"), dirty,
                opensearch.requestJson("GET", "/", null).path("version").path("number").asText());
    }

    private static String git(String... args) {
        try {
            List<String> command = new ArrayList<>(List.of("git"));
            command.addAll(List.of(args));
            Process git = new ProcessBuilder(command).directory(Path.of(System.getProperty("basedir", ".")).toFile())
                    .redirectErrorStream(true).start();
            String text = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            git.waitFor(10, TimeUnit.SECONDS);
            return text;
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private static String[] row(String what, double rate, String unit, String ratio, String target) {
        return new String[] {what, String.format("%,.0f %s", rate, unit), ratio, target};
    }

    private static String ratio(double value, double of) {
        return Double.isNaN(of) ? "n/a" : String.format("%.2f", value / of);
    }

    private static String text(OptionalLong value) {
        return value.isPresent() ? String.format("%,d", value.getAsLong()) : "n/a (metric not present)";
    }

    /** The machine is shared: its load next to each result says whether other work ran beside it. */
    private void load() throws IOException {
        String[] load = Files.readString(Path.of("/proc/loadavg")).split(" ");
        out("(load average now: %s %s %s)", load[0], load[1], load[2]);
    }

    private void out(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println(line);
        report.append(line).append('\n');
    }
}
