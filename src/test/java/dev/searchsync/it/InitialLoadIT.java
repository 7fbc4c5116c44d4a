package dev.searchsync.it;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.DynamoDbStreamsSource;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.config.JobConfig;
import dev.searchsync.config.ShardSourceSettings;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Issue 14 on real servers at parallelism 2: a table of 20,000 items of every attribute type is loaded while one
 * writer keeps putting, updating and deleting, and the index ends equal to the table; then the same with a failure
 * in the middle of the load, which resumes from the checkpoint instead of starting over. The pre-filled items are
 * not in the stream the job reads (the table gets its stream after the fill), so
 * they reach the index through the load alone.
 */
class InitialLoadIT {
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots(METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    private static final int ITEMS = 20_000;
    /** The writer's key space: keys from ITEMS on are new, so its puts there are inserts. */
    private static final int KEYS = 24_000;
    private static final int SEGMENTS = 8;
    /**
     * 20,000 items would take ~13 s at this rate; moto is slower (each Scan call walks the whole table and copies
     * what it returns: ~700 items/s for these items when idle), so the load takes 30-60 s, long enough for the
     * writer to change keys before and after their segment's scan.
     */
    private static final int ITEMS_PER_SECOND = 1_500;
    private static final int MARGIN_SECONDS = 2;

    @Test
    void indexEqualsTableAfterALoadBesideAWriter() throws Exception {
        Run run = run("load", false);

        assertThat(run.untouchedPrefill).as("pre-filled items only the load could bring").isGreaterThan(10_000);
        assertThat(counter(run.job, "snapshotsApplied")).as("loaded items applied")
                .isGreaterThanOrEqualTo(run.untouchedPrefill);
        assertThat(counter(run.job, "loadItemsRead")).as("items read by the load, once each")
                .isEqualTo(gauge(run.job, "loadItemsScanned"));
        // The writer changed keys before their segment was scanned, and the stream brought the change first.
        assertThat(counter(run.job, "snapshotsSuperseded")).as("loaded items older than a stream change")
                .isPositive();
    }

    @Test
    void loadResumesFromACheckpointAfterAFailureInTheMiddle() throws Exception {
        Run run = run("load-restart", true);

        assertThat(FailingOnceSink.hasFailed(run.name)).as("the job failed once after a checkpoint").isTrue();
        Map<String, Long> byAttempt = counterByAttempt(run.job, "loadItemsRead");
        assertThat(byAttempt).as("items read by the load in each attempt").hasSizeGreaterThanOrEqualTo(2);
        long scanned = gauge(run.job, "loadItemsScanned");
        long first = byAttempt.values().iterator().next();
        long total = byAttempt.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("InitialLoadIT: load read %s items by attempt; %,d items scanned in all%n", byAttempt,
                scanned);
        assertThat(first).as("items read before the failure: it came in the middle of the load")
                .isBetween(3_000L, scanned - 3_000);
        // Starting over would read again all the first attempt had read; resuming only what its last checkpoint
        // had not recorded (a page or two per subtask).
        assertThat(total - scanned).as("items read twice").isLessThan(first / 2);
        assertThat(run.untouchedPrefill).as("pre-filled items only the load could bring").isGreaterThan(10_000);
    }

    /** What a run leaves to check once the index equals the table. */
    private static final class Run {
        String name;
        JobID job;
        int untouchedPrefill;
    }

    /**
     * Fills a table, runs the job beside the writer until the index equals the table. The pre-filled items are not
     * in the stream the job reads: the table gets its stream only after the fill, and the job reads it from
     * TRIM_HORIZON. (A stream started AT_TIMESTAMP after the fill would do too, but its reader first reads and
     * drops the fill's records, which on moto slows the Scans for a minute.)
     */
    private static Run run(String name, boolean failOnce) throws Exception {
        MotoServer moto = MOTO.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        moto.createTable(name, TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        opensearch.deleteIndex(name);
        TypedWorkload workload = new TypedWorkload(moto.client(), name, KEYS, name.hashCode());
        workload.fill(ITEMS);
        Set<Map<String, AttributeValue>> prefilled = new HashSet<>(workload.takeTouchedKeys());
        assertThat(prefilled).as("items in the table when the job starts").hasSize(ITEMS);
        ShardSourceSettings polling = SyncJobs.fastPolling();
        Map<String, Map<String, String>> groups = new HashMap<>();
        groups.put("load", Map.of("mode", "ON_EMPTY_STATE", "max.items.per.second", Integer.toString(ITEMS_PER_SECOND),
                "segments", Integer.toString(SEGMENTS), "margin.seconds", Integer.toString(MARGIN_SECONDS)));
        String streamArn = moto.enableStream(name);
        JobConfig config = SyncJobs.config(moto, opensearch, streamArn, name, groups);
        assertThat(config.load().enabled()).as("load enabled by " + config.load()).isTrue();
        SearchSyncJob.prepareIndex(config);

        StreamExecutionEnvironment env = SyncJobs.environment(500, 3, Duration.ofMillis(500));
        SearchSyncJob<ChangeRecord> production = SearchSyncJob.dynamoDbStreams(config);
        SearchSyncJob<ChangeRecord> job = production
                .withSource(DynamoDbStreamsSource.create(config.source().stream(), config.source().aws(),
                        polling))
                .withFailures(failures -> failures.sinkTo(new CollectingSink<FailedChange>(name)).uid("failures"));
        if (failOnce) {
            // Per sink subtask, after its second checkpoint: about half way through the load.
            job = job.withSink(new FailingOnceSink<DocumentAction>(production.sink(), name, 4_000));
        }
        job.addTo(env);
        JobClient client = env.executeAsync(name);
        Run run = new Run();
        run.name = name;
        run.job = client.getJobID();
        try {
            int duringLoad = writeUntilLoaded(workload, client);
            Set<Map<String, AttributeValue>> untouched = new HashSet<>(prefilled);
            workload.takeTouchedKeys().forEach(untouched::remove);
            run.untouchedPrefill = untouched.size();

            KeySchema schema = KeySchema.of(TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
            List<Map<String, AttributeValue>> table = workload.scan();
            SyncJobs.awaitEqual("the index to equal the table", Duration.ofMinutes(2), client,
                    () -> IndexComparison.differences(table, schema, opensearch, name));

            System.out.printf("InitialLoadIT %s: %,d changes written while the load ran, %,d in all (%,d keys"
                    + " deleted), %,d items in the table at the end, %,d pre-filled items never changed;"
                    + " snapshotsApplied %,d, snapshotsSuperseded %,d%n", name, duringLoad, workload.written() - ITEMS,
                    workload.deletedKeys(), table.size(), run.untouchedPrefill, counter(run.job, "snapshotsApplied"),
                    counter(run.job, "snapshotsSuperseded"));
            // Few: moto answers one call at a time, and the Scans hold it for a second or more each.
            assertThat(duringLoad).as("changes written while the load ran").isGreaterThan(100);
            assertThat(workload.deletedKeys()).as("keys deleted").isGreaterThan(20);
            assertThat(CollectingSink.collected(name)).as("failures").isEmpty();
            return run;
        } finally {
            client.cancel().get();
        }
    }

    /**
     * Keeps changing random keys, pre-filled and new, from this one thread until every segment is loaded, and a
     * little after; returns the changes written while the load ran.
     */
    private static int writeUntilLoaded(TypedWorkload workload, JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int before = workload.written();
        while (gauge(job.getJobID(), "loadSegmentsDone") < SEGMENTS) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                fail("The job ended (" + job.getJobStatus().get() + ") during the load");
            }
            if (System.nanoTime() > deadline) {
                fail("The load did not finish within 120 s: " + gauge(job.getJobID(), "loadSegmentsDone") + " of "
                        + SEGMENTS + " segments, " + gauge(job.getJobID(), "loadItemsScanned") + " items");
            }
            // ~50 changes/s at most: moto serves the Scans, the stream and the writes in one Python process, one at a
            // time, and every write slows the load.
            workload.write(5);
            Thread.sleep(100);
        }
        int duringLoad = workload.written() - before;
        workload.write(50);
        return duringLoad;
    }

    /** The sum over every subtask and attempt of a counter of {@code job}. */
    private static long counter(JobID job, String name) {
        return counterByAttempt(job, name).values().stream().mapToLong(Long::longValue).sum();
    }

    /** A counter of {@code job} summed over subtasks, by attempt number (the first attempt first). */
    private static Map<String, Long> counterByAttempt(JobID job, String name) {
        Map<String, Long> byAttempt = new TreeMap<>();
        for (Map.Entry<MetricGroup, Map<String, Metric>> group : METRICS.getMetricsByGroup().entrySet()) {
            Map<String, String> variables = group.getKey().getAllVariables();
            Metric metric = group.getValue().get(name);
            if (job.toString().equals(variables.get("<job_id>")) && metric instanceof Counter) {
                byAttempt.merge(variables.getOrDefault("<task_attempt_num>", "?"), ((Counter) metric).getCount(),
                        Long::sum);
            }
        }
        return byAttempt;
    }

    /** A numeric gauge of {@code job}'s load enumerator (the latest one registered); -1 before it registers. */
    private static long gauge(JobID job, String name) {
        long value = -1;
        for (Map.Entry<MetricGroup, Map<String, Metric>> group : METRICS.getMetricsByGroup().entrySet()) {
            Metric metric = group.getValue().get(name);
            if (job.toString().equals(group.getKey().getAllVariables().get("<job_id>")) && metric instanceof Gauge) {
                Object current = ((Gauge<?>) metric).getValue();
                if (current instanceof Number) {
                    value = Math.max(value, ((Number) current).longValue());
                }
            }
        }
        return value;
    }
}
