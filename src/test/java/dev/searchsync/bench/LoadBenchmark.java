package dev.searchsync.bench;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.DynamoDbStreamsSource;
import dev.searchsync.cdc.dynamodb.load.DynamoDbTableScanner;
import dev.searchsync.cdc.dynamodb.load.TableLoadSource;
import dev.searchsync.config.JobConfig;
import dev.searchsync.it.Clusters;
import dev.searchsync.it.SyncJobs;
import dev.searchsync.it.TypedWorkload;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Items/s of the initial load next to moto's own parallel-Scan rate, measured in one run on one moto process, so that
 * the load's own cost can be told apart from the emulator's. Run it with
 *
 * <pre>
 * mvn -B -o test-compile failsafe:integration-test failsafe:verify -Dit.test=LoadBenchmark
 * </pre>
 *
 * (not part of {@code mvn verify}: the name matches neither {@code *Test} nor {@code *IT}). It prints its report to
 * standard output; nothing asserts on speed, only that every item was read once and indexed.
 */
class LoadBenchmark {
    private static final int ITEMS = 20_000;
    private static final String TABLE = "load-bench";
    /** The load reader's largest page ({@code SegmentReader.MAX_PAGE_ITEMS}): the raw scans use the same. */
    private static final int PAGE = 1_000;
    private static final int JOB_SEGMENTS = 8;
    private static final int MARGIN_SECONDS = 2;

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    /** One parallel Scan of the whole table: items, seconds, Scan calls. */
    private record ScanRun(int segments, int threads, long items, double seconds, long calls) {
        double perSecond() {
            return items / seconds;
        }
    }

    @Test
    void loadATableOfTwentyThousandItems() throws Exception {
        MotoServer moto = MOTO.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        // The stream is enabled after the fill: the items reach the index through the load alone, and the stream's
        // reader has nothing to skip (an AT_TIMESTAMP start would read and drop the fill's 20,000 records first).
        moto.createTable(TABLE, TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        opensearch.deleteIndex(TABLE);
        long fillStart = System.nanoTime();
        new TypedWorkload(moto.client(), TABLE, ITEMS, 1).fill(ITEMS);
        double fillSeconds = (System.nanoTime() - fillStart) / 1e9;
        String streamArn = moto.enableStream(TABLE);

        List<ScanRun> raw = new ArrayList<>();
        raw.add(rawScan(moto.client(), 2, 2));
        raw.add(rawScan(moto.client(), 8, 8));
        raw.add(rawScan(moto.client(), JOB_SEGMENTS, 2));
        raw.forEach(run -> assertThat(run.items()).as("items of a raw scan").isEqualTo(ITEMS));

        // (c) The load's source alone, into a sink that discards: the source's own rate, without OpenSearch and the
        // job's other steps sharing the machine's two cores with moto.
        StreamExecutionEnvironment alone = SyncJobs.environment(1_000, 0, Duration.ZERO);
        alone.fromSource(new TableLoadSource(TABLE, DynamoDbTableScanner.factory(TABLE,
                                SyncJobs.config(moto, opensearch, streamArn, TABLE).source().aws()), 1_000_000,
                        JOB_SEGMENTS, Duration.ofSeconds(MARGIN_SECONDS)),
                WatermarkStrategy.noWatermarks(), "load alone").sinkTo(new DiscardingSink<>());
        long aloneStart = System.nanoTime();
        alone.execute("load-alone");
        double aloneSeconds = (System.nanoTime() - aloneStart) / 1e9;

        JobConfig config = SyncJobs.config(moto, opensearch, streamArn, TABLE, Map.of(
                "load", Map.of("mode", "ON_EMPTY_STATE", "max.items.per.second", "1000000",
                        "segments", Integer.toString(JOB_SEGMENTS), "margin.seconds",
                        Integer.toString(MARGIN_SECONDS))));
        SearchSyncJob.prepareIndex(config);
        StreamExecutionEnvironment env = SyncJobs.environment(1_000, 0, Duration.ZERO);
        SearchSyncJob<ChangeRecord> job = SearchSyncJob.dynamoDbStreams(config)
                .withSource(DynamoDbStreamsSource.create(config.source().stream(), config.source().aws(),
                        SyncJobs.fastPolling()));
        job.addTo(env);
        long submitted = System.nanoTime();
        JobClient client = env.executeAsync(TABLE);
        long running;
        long indexed;
        try {
            running = SyncJobs.awaitRunning(client);
            indexed = awaitCount(client, opensearch, submitted);
        } finally {
            client.cancel().get();
        }

        System.out.printf("%n=== Initial load: table %s, %,d items (every attribute type; every 50th item has all"
                + " of them), moto %s ===%n", TABLE, ITEMS, moto.endpoint());
        System.out.printf("fill (BatchWriteItem, one thread)  %.1f s: %,.0f items/s%n", fillSeconds,
                ITEMS / fillSeconds);
        System.out.printf("%n(a) raw parallel Scan with the SDK, ConsistentRead, Limit %,d, one segment per thread at"
                + " a time, no pause%n", PAGE);
        for (ScanRun run : raw) {
            System.out.printf("  %d segments, %d threads  %,7d items in %5.1f s, %3d calls: %,6.0f items/s%n",
                    run.segments(), run.threads(), run.items(), run.seconds(), run.calls(), run.perSecond());
        }
        double jobSeconds = (indexed - submitted) / 1e9;
        double fromRunning = (indexed - running) / 1e9;
        System.out.printf("%n(b) the job, parallelism 2: load only (stream enabled after the fill, read from TRIM_HORIZON), %d segments,"
                + " load/max.items.per.second 1,000,000, into a fresh index until its count is %,d%n",
                JOB_SEGMENTS, ITEMS);
        System.out.printf("  from submission   %5.1f s: %,6.0f items/s%n", jobSeconds, ITEMS / jobSeconds);
        System.out.printf("  from RUNNING      %5.1f s: %,6.0f items/s (the job was RUNNING %.1f s after"
                + " submission)%n", fromRunning, ITEMS / fromRunning, (running - submitted) / 1e9);
        System.out.printf("%n(c) the load's source alone, parallelism 2, %d segments, into a discarding sink (no"
                + " OpenSearch, no other step)%n  from submission to finished %5.1f s: %,6.0f items/s%n",
                JOB_SEGMENTS, aloneSeconds, ITEMS / aloneSeconds);
        ScanRun sameShape = raw.get(raw.size() - 1);
        System.out.printf("%nratio (b) from RUNNING / (a) %d segments, 2 threads: %.2f%n", JOB_SEGMENTS,
                (ITEMS / fromRunning) / sameShape.perSecond());
        System.out.printf("ratio (c) / (a) %d segments, 2 threads: %.2f%n", JOB_SEGMENTS,
                (ITEMS / aloneSeconds) / sameShape.perSecond());
        System.out.println();
    }

    /** Scans every segment, {@code threads} at a time, each page after the last with nothing in between. */
    private static ScanRun rawScan(DynamoDbClient client, int segments, int threads) throws Exception {
        ConcurrentLinkedQueue<Integer> left = new ConcurrentLinkedQueue<>();
        for (int segment = 0; segment < segments; segment++) {
            left.add(segment);
        }
        AtomicLong items = new AtomicLong();
        AtomicLong calls = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (Integer segment = left.poll(); segment != null; segment = left.poll()) {
                        int current = segment;
                        Map<String, AttributeValue> after = null;
                        do {
                            Map<String, AttributeValue> from = after;
                            ScanResponse page = client.scan(b -> b.tableName(TABLE).segment(current)
                                    .totalSegments(segments).consistentRead(true).limit(PAGE)
                                    .exclusiveStartKey(from));
                            items.addAndGet(page.count());
                            calls.incrementAndGet();
                            after = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                                    ? page.lastEvaluatedKey() : null;
                        } while (after != null);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new ScanRun(segments, threads, items.get(), (System.nanoTime() - start) / 1e9, calls.get());
    }

    /** Polls the index count until it holds every item; returns when it first did. */
    private static long awaitCount(JobClient job, OpenSearchServer opensearch, long submitted) throws Exception {
        long deadline = submitted + Duration.ofMinutes(5).toNanos();
        long count = 0;
        while (count < ITEMS) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                fail("The job ended (" + job.getJobStatus().get() + ") with " + count + " documents indexed");
            }
            if (System.nanoTime() > deadline) {
                fail("Only " + count + " of " + ITEMS + " documents indexed within 5 minutes");
            }
            Thread.sleep(200);
            opensearch.refresh(TABLE);
            count = opensearch.count(TABLE);
        }
        assertThat(count).as("documents, one per item").isEqualTo(ITEMS);
        return System.nanoTime();
    }
}
