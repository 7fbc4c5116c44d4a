package dev.searchsync.bench;

import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.config.EventConfig;
import dev.searchsync.config.IndexName;
import dev.searchsync.config.IndexOptions;
import dev.searchsync.config.RecordFormat;
import dev.searchsync.config.ShardSourceSettings;
import dev.searchsync.config.SourceOptions;
import dev.searchsync.events.KinesisEventMapper;
import dev.searchsync.it.Clusters;
import dev.searchsync.it.SyncJobs;
import dev.searchsync.job.ToActions;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.source.kinesis.KinesisRecord;
import dev.searchsync.source.ShardStreamSource;
import dev.searchsync.source.kinesis.KinesisRecordConverter;
import dev.searchsync.source.kinesis.KinesisShardClient;
import dev.searchsync.testbed.KinesisEmulator;
import dev.searchsync.testbed.KinesisEmulatorExtension;
import dev.searchsync.validate.DocumentLimits;

import com.sun.management.OperatingSystemMXBean;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Records/s per shard of the Kinesis source with its decoding, next to the emulator's raw GetRecords rate measured
 * in the same run, so that the source's own cost can be told apart from the emulator's.
 */
class KinesisReadBenchmark {
    /**
     * kinesis-local's puts slow down as the stream grows (a PutRecords of 500 took ~1 s into an empty stream, ~4.5 s
     * at 8,000 records): 10,000 records take about a minute to put, and the reads stay long enough to time.
     */
    private static final int RECORDS = 10_000;
    private static final int EVENTS_PER_RECORD = 4;
    private static final int SHARDS = 2;
    private static final String STREAM = "kinesis-read-bench";
    /** GetRecords' largest page: the most the emulator can hand over per call. */
    private static final int RAW_LIMIT = 10_000;
    private static final int PUT_BATCH = 500;

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final KinesisEmulatorExtension KINESIS = new KinesisEmulatorExtension();

    /** Static: the MiniCluster runs the job's functions in this JVM, with this class loader. */
    static final Map<String, LongAdder> JOB_RECORDS = new ConcurrentHashMap<>();
    static final Map<String, AtomicLong> JOB_LAST_NANOS = new ConcurrentHashMap<>();
    static final LongAdder JOB_ACTIONS = new LongAdder();

    /** One shard's read: how many records, how long, and its GetRecords calls that returned records. */
    private record ShardRead(String shard, long records, long nanos, long calls, long nanosInCalls) {
        double perSecond() {
            return records / (nanos / 1e9);
        }
    }

    @Test
    void readAPrefilledStreamFromTrimHorizon() throws Exception {
        KinesisEmulator emulator = KINESIS.server();
        KinesisClient kinesis = emulator.client();
        kinesis.createStream(b -> b.streamName(STREAM).shardCount(SHARDS));
        emulator.waiter().waitUntilStreamExists(b -> b.streamName(STREAM));
        String arn = kinesis.describeStreamSummary(b -> b.streamName(STREAM)).streamDescriptionSummary().streamARN();

        long putStart = System.nanoTime();
        Map<String, Long> put = put(kinesis, arn);
        double putSeconds = (System.nanoTime() - putStart) / 1e9;
        assertThat(put).as("records per shard").hasSize(SHARDS);

        Cpu rawCpu = new Cpu();
        List<ShardRead> raw = rawRead(kinesis, arn, put, RAW_LIMIT, 0);
        rawCpu.stop();
        // The source's limit and pacing without Flink: tells the cost of small, spaced calls from the job's own.
        int sourceLimit = ShardSourceSettings.defaults().maxRecordsPerPoll();
        long spacing;
        try (KinesisShardClient client = new KinesisShardClient(STREAM, aws(emulator))) {
            spacing = client.minPollSpacingMillis();
        }
        Cpu pacedCpu = new Cpu();
        List<ShardRead> paced = rawRead(kinesis, arn, put, sourceLimit, spacing);
        pacedCpu.stop();
        long jobStart = System.nanoTime();
        Cpu sourceCpu = new Cpu();
        List<ShardRead> source = sourceRead(emulator, put);
        sourceCpu.stop();
        long readStartNanos = TimedShardClient.FIRST_ITERATOR_NANOS.values().stream().mapToLong(AtomicLong::get)
                .min().orElseThrow();
        long startUpNanos = readStartNanos - jobStart;
        long lastRecordNanos = JOB_LAST_NANOS.values().stream().mapToLong(AtomicLong::get).max().orElseThrow();

        long dataBytes = record(0).length;
        System.out.printf("%n=== Kinesis read: %s, %d shards, from TRIM_HORIZON ===%n", STREAM, SHARDS);
        System.out.printf("records put                    %,d (%d NDJSON events each, %,d bytes; %.1f s to put)%n",
                RECORDS, EVENTS_PER_RECORD, dataBytes, putSeconds);
        System.out.printf("records per shard              %s%n", put);
        System.out.printf("%n(a) raw GetRecords loop, Limit %,d, one thread per shard, no pause between calls"
                + " (from GetShardIterator until the shard's last record)%n", RAW_LIMIT);
        print(raw);
        rawCpu.print();
        System.out.printf("%n(a') the same loop with the source's limit and pacing: Limit %,d, at least %d ms from one"
                + " call's start to the next%n", sourceLimit, spacing);
        print(paced);
        pacedCpu.print();
        System.out.printf("%n(b) KinesisSource + ToActions(KinesisEventMapper) -> discard, parallelism 2, source"
                + " option defaults (poll.max.records %,d, at least %d ms between calls to a shard)%n",
                sourceLimit, spacing);
        System.out.printf("    (from the reader's GetShardIterator until the shard's last record out of the"
                + " source; the job started %.1f s before that)%n", startUpNanos / 1e9);
        for (ShardRead read : source) {
            print(read);
            System.out.printf("  %s  %,8.0f events/s decoded%n", " ".repeat(read.shard().length()),
                    read.perSecond() * EVENTS_PER_RECORD);
        }
        printBoth(source);
        sourceCpu.print();
        System.out.printf("  all %,d actions out %.1f s after job submission%n", JOB_ACTIONS.sum(),
                (lastRecordNanos - jobStart) / 1e9);
        System.out.printf("%nratio (b)/(a), records/s per shard%n");
        for (int i = 0; i < raw.size(); i++) {
            System.out.printf("  %s  %.2f%n", raw.get(i).shard(), source.get(i).perSecond() / raw.get(i).perSecond());
        }
        System.out.printf("  both shards           %.2f (against (a'): %.2f)%n",
                both(source).perSecond() / both(raw).perSecond(), both(source).perSecond() / both(paced).perSecond());
        System.out.println();
    }

    /**
     * The benchmark JVM's CPU over one phase: kinesis-local needs a core of the two to answer, so what this JVM
     * burns at the same time can slow the emulator down.
     */
    private static final class Cpu {
        private final OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        private final long cpuStart = os.getProcessCpuTime();
        private final long wallStart = System.nanoTime();
        private long cpu;
        private long wall;

        void stop() {
            cpu = os.getProcessCpuTime() - cpuStart;
            wall = System.nanoTime() - wallStart;
        }

        void print() {
            System.out.printf("  JVM CPU               %,.1f s over %,.1f s of the phase: %.2f cores of this JVM"
                    + " (Flink and the SDK; not the emulator)%n", cpu / 1e9, wall / 1e9, (double) cpu / wall);
        }
    }

    private static void print(List<ShardRead> reads) {
        reads.forEach(KinesisReadBenchmark::print);
        printBoth(reads);
    }

    private static void printBoth(List<ShardRead> reads) {
        ShardRead both = both(reads);
        System.out.printf("  both shards           %,7d records in %6.1f s: %,8.0f records/s%n", both.records(),
                both.nanos() / 1e9, both.perSecond());
    }

    /**
     * The shards together, over the longest shard's time: kinesis-local serves calls one at a time, so a shard's
     * rate depends on how its calls overlapped with the other shard's, and the sum is the emulator's rate.
     */
    private static ShardRead both(List<ShardRead> reads) {
        return new ShardRead("both", reads.stream().mapToLong(ShardRead::records).sum(),
                reads.stream().mapToLong(ShardRead::nanos).max().orElseThrow(),
                reads.stream().mapToLong(ShardRead::calls).sum(),
                reads.stream().mapToLong(ShardRead::nanosInCalls).sum());
    }

    private static void print(ShardRead read) {
        System.out.printf("  %s  %,7d records in %6.1f s, %3d calls (%,.0f records/call, %,.0f ms in each call):"
                        + " %,8.0f records/s%n", read.shard(), read.records(), read.nanos() / 1e9, read.calls(),
                (double) read.records() / read.calls(), read.nanosInCalls() / 1e6 / read.calls(), read.perSecond());
    }

    /** Puts every record, spread over the shards by partition key; returns how many each shard took. */
    private static Map<String, Long> put(KinesisClient kinesis, String arn) {
        Map<String, Long> perShard = new TreeMap<>();
        for (int from = 0; from < RECORDS; from += PUT_BATCH) {
            List<PutRecordsRequestEntry> entries = new ArrayList<>();
            for (int i = from; i < Math.min(RECORDS, from + PUT_BATCH); i++) {
                entries.add(PutRecordsRequestEntry.builder().partitionKey("key-" + i)
                        .data(SdkBytes.fromByteArray(record(i))).build());
            }
            PutRecordsResponse response = kinesis.putRecords(b -> b.streamARN(arn).records(entries));
            assertThat(response.failedRecordCount()).as("records the emulator refused").isZero();
            for (PutRecordsResultEntry entry : response.records()) {
                perShard.merge(entry.shardId(), 1L, Long::sum);
            }
        }
        return perShard;
    }

    /** NDJSON of a few small click events, the shape a log or clickstream producer writes. */
    private static byte[] record(int n) {
        StringBuilder data = new StringBuilder();
        for (int e = 0; e < EVENTS_PER_RECORD; e++) {
            data.append("{\"user\":\"user-").append(n % 997).append("\",\"action\":\"click\",\"page\":\"/products/")
                    .append((n * 7 + e) % 5_000).append("\",\"record\":").append(n).append(",\"event\":").append(e)
                    .append(",\"ms\":").append(1_764_547_200_000L + n * 10L + e).append("}\n");
        }
        return data.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Every shard read at once, one thread each, as the job's two subtasks read them. */
    private static List<ShardRead> rawRead(KinesisClient kinesis, String arn, Map<String, Long> put, int limit,
            long spacingMillis) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(put.size());
        try {
            List<Future<ShardRead>> reads = new ArrayList<>();
            put.forEach((shard, records) -> reads.add(threads.submit(() -> rawRead(kinesis, arn, shard, records, limit, spacingMillis))));
            List<ShardRead> result = new ArrayList<>();
            for (Future<ShardRead> read : reads) {
                result.add(read.get());
            }
            return result;
        } finally {
            threads.shutdownNow();
        }
    }

    /** From TRIM_HORIZON until every record put into the shard has been read; calls start spacingMillis apart. */
    private static ShardRead rawRead(KinesisClient kinesis, String arn, String shard, long expected, int limit,
            long spacingMillis) throws InterruptedException {
        long start = System.nanoTime();
        String iterator = kinesis.getShardIterator(b -> b.streamARN(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        long records = 0;
        long calls = 0;
        long nanosInCalls = 0;
        while (records < expected) {
            String from = iterator;
            long callStart = System.nanoTime();
            GetRecordsResponse batch = kinesis.getRecords(b -> b.streamARN(arn).shardIterator(from).limit(limit));
            long callEnd = System.nanoTime();
            nanosInCalls += callEnd - callStart;
            calls++;
            records += batch.records().size();
            if (batch.records().isEmpty() && Long.valueOf(0).equals(batch.millisBehindLatest())) {
                fail("Shard " + shard + " caught up after " + records + " of its " + expected + " records");
            }
            iterator = batch.nextShardIterator();
            long wait = spacingMillis - (callEnd - callStart) / 1_000_000;
            if (records < expected && wait > 0) {
                Thread.sleep(wait);
            }
        }
        assertThat(records).as("records read from " + shard).isEqualTo(expected);
        long nanos = System.nanoTime() - start;
        return new ShardRead(shard, records, nanos, calls, nanosInCalls);
    }

    private static AwsClientSettings aws(KinesisEmulator emulator) {
        return new AwsClientSettings(emulator.region(), emulator.endpoint(),
                AwsClientSettings.CredentialsProvider.STATIC, emulator.accessKey(), emulator.secretKey());
    }

    /** Runs the source until every record has been read and decoded; each shard's time ends at its last record. */
    private static List<ShardRead> sourceRead(KinesisEmulator emulator, Map<String, Long> put) throws Exception {
        AwsClientSettings aws = aws(emulator);
        // ShardSourceSettings.defaults() are the source group's option defaults: what a user gets unless they tune.
        KinesisEventMapper mapper = new KinesisEventMapper(STREAM, IndexName.fixed(STREAM), RecordFormat.AUTO,
                SourceOptions.RECORD_MAX_DECODED_BYTES.defaultValue().orElseThrow(),
                new EventConfig(null, null, List.of(), null, null));
        DocumentLimits limits = new DocumentLimits(IndexOptions.MAX_DOCUMENT_BYTES.defaultValue().orElseThrow(),
                IndexOptions.MAX_FIELDS.defaultValue().orElseThrow());
        StreamExecutionEnvironment env = SyncJobs.environment(1_000, 0, Duration.ZERO);
        // KinesisSource.create's source, with each client timed.
        ShardStreamSource<Record, KinesisRecord> source = new ShardStreamSource<>(
                () -> new TimedShardClient<>(new KinesisShardClient(STREAM, aws)), new KinesisRecordConverter(),
                ShardSourceSettings.defaults());
        env.fromSource(source,
                        WatermarkStrategy.noWatermarks(), "Kinesis stream")
                .map(new NoteShard()).name("Note shard")
                .process(new ToActions<>(mapper, limits)).name("To actions")
                .addSink(new CountActions()).name("Discard");

        long start = System.nanoTime();
        JobClient job = env.executeAsync(STREAM);
        try {
            long deadline = start + Duration.ofMinutes(5).toNanos();
            while (JOB_ACTIONS.sum() < (long) RECORDS * EVENTS_PER_RECORD) {
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    fail("The job ended (" + job.getJobStatus().get() + ") after " + JOB_ACTIONS.sum() + " actions");
                }
                if (System.nanoTime() > deadline) {
                    fail("Not every record read within 5 minutes: " + JOB_RECORDS);
                }
                Thread.sleep(20);
            }
        } finally {
            job.cancel().get();
        }
        assertThat(JOB_ACTIONS.sum()).as("actions, one per event").isEqualTo((long) RECORDS * EVENTS_PER_RECORD);
        List<ShardRead> reads = new ArrayList<>();
        put.forEach((shard, records) -> {
            assertThat(JOB_RECORDS.get(shard).sum()).as("records of " + shard + " read once").isEqualTo(records);
            reads.add(new ShardRead(shard, records,
                    JOB_LAST_NANOS.get(shard).get() - TimedShardClient.FIRST_ITERATOR_NANOS.get(shard).get(),
                    TimedShardClient.CALLS.get(shard).sum(), TimedShardClient.NANOS_IN_CALLS.get(shard).sum()));
        });
        return reads;
    }

    /** Counts each shard's records and notes when its last one came out of the source, chained to it. */
    static final class NoteShard implements MapFunction<KinesisRecord, KinesisRecord> {
        @Override
        public KinesisRecord map(KinesisRecord record) {
            long now = System.nanoTime();
            JOB_RECORDS.computeIfAbsent(record.getShardId(), s -> new LongAdder()).increment();
            JOB_LAST_NANOS.computeIfAbsent(record.getShardId(), s -> new AtomicLong()).set(now);
            return record;
        }
    }

    /** A discarding sink that counts, so the run knows when every event has been decoded. */
    static final class CountActions implements SinkFunction<DocumentAction> {
        @Override
        public void invoke(DocumentAction action, Context context) {
            JOB_ACTIONS.increment();
        }
    }
}
