package dev.searchsync.bench;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.cdc.dynamodb.ItemDocuments;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.config.JobConfig;
import dev.searchsync.it.Clusters;
import dev.searchsync.it.IndexComparison;
import dev.searchsync.it.SyncJobs;
import dev.searchsync.it.TypedWorkload;
import dev.searchsync.local.FlinkRest;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.management.OperatingSystemMXBean;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.core.execution.JobClient;
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

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Bytes and CPU per record across the keyed edge in a catch-up, so changes to what crosses it can be compared. */
class KeyedEdgeBenchmark {
    private static final int CHANGES = 6_000;
    private static final int KEYS = 1_000;
    private static final long SEED = 20261130L;
    private static final String TABLE = "keyed-edge-bench";
    /**
     * The vertex that holds the source and the step to actions, chained. Its other outputs carry failures to the dead
     * letters; with none, its records out equal the records into the order vertex, which {@link #awaitFinal} checks.
     */
    private static final String BEFORE_KEY_BY = "Source: DynamoDB stream";
    private static final String AFTER_KEY_BY = "Order and version";
    /** The REST API serves metrics fetched at most this often, so a value is final once it outlives one fetch. */
    private static final Duration METRICS_FETCH =
            Duration.ofMillis(MetricOptions.METRIC_FETCHER_UPDATE_INTERVAL.defaultValue());

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    /**
     * Records and bytes out of the chain before keyBy, and records into the order vertex, as the REST API reports
     * them. Not bytes in: the receiving side also counts checkpoint barriers, so they grow with every checkpoint.
     */
    private record Edge(long recordsOut, long bytesOut, long recordsIn) {}

    @Test
    void catchUpOfAPrefilledStream(@InjectClusterRESTAddress URI restAddress) throws Exception {
        MotoServer moto = MOTO.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        String streamArn = moto.createTableWithStream(TABLE, TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        TypedWorkload workload = new TypedWorkload(moto.client(), TABLE, KEYS, SEED);
        workload.write(CHANGES);
        long streamRecords = streamRecords(moto.streamsClient(), streamArn);
        List<Map<String, AttributeValue>> table = workload.scan();
        opensearch.deleteIndex(TABLE);
        JobConfig config = SyncJobs.config(moto, opensearch, streamArn, TABLE);
        SearchSyncJob.prepareIndex(config);
        StreamExecutionEnvironment env = SyncJobs.environment();
        SearchSyncJob.fromConfig(config).addTo(env);

        OperatingSystemMXBean os = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);
        long cpuStart = os.getProcessCpuTime();
        long start = System.nanoTime();
        JobClient job = env.executeAsync(TABLE);
        try {
            awaitIndexEqualsTable(job, opensearch, table);
            long nanos = System.nanoTime() - start;
            long cpuNanos = os.getProcessCpuTime() - cpuStart;
            long taskCpuNanos = threadCpuNanos(BEFORE_KEY_BY, AFTER_KEY_BY);

            FlinkRest rest = new FlinkRest(restAddress.toString());
            String jobId = job.getJobID().toHexString();
            Edge edge = awaitFinal(rest, jobId, streamRecords);
            assertThat(rest.jobMetric(jobId, "numRestarts")).as("restarts").contains("0");

            double seconds = nanos / 1e9;
            long documentBytes = table.stream()
                    .mapToLong(item -> ItemDocuments.toJson(item).getBytes(StandardCharsets.UTF_8).length).sum();
            System.out.printf("%n=== Keyed edge: %s -> %s, parallelism 2 ===%n", BEFORE_KEY_BY, AFTER_KEY_BY);
            System.out.printf("changes written                %,d (%,d keys, seed %d)%n", CHANGES, KEYS, SEED);
            System.out.printf("records in the stream          %,d%n", streamRecords);
            System.out.printf("records across keyed edge      %,d out (numRecordsOut); %,d into the order vertex%n",
                    edge.recordsOut(), edge.recordsIn());
            System.out.printf("bytes across keyed edge        %,d (numBytesOut)%n", edge.bytesOut());
            System.out.printf("bytes/record                   %,.0f%n", (double) edge.bytesOut() / edge.recordsOut());
            System.out.printf("average document (JSON)        %,.0f bytes over %,d live items%n",
                    (double) documentBytes / table.size(), table.size());
            System.out.printf("CPU ms total                   %,d (whole test JVM: Flink MiniCluster and test driver;"
                    + " moto and OpenSearch excluded)%n", cpuNanos / 1_000_000);
            System.out.printf("CPU µs/record                  %,.0f%n", cpuNanos / 1e3 / edge.recordsOut());
            System.out.printf("  of which the edge's tasks    %,d ms, %,.0f µs/record (the task threads on both sides:"
                    + " convert, validate, serialize | deserialize, order, sink writer)%n",
                    taskCpuNanos / 1_000_000, taskCpuNanos / 1e3 / edge.recordsOut());
            System.out.printf("catch-up seconds               %.1f (job submitted until the index equals the table)%n",
                    seconds);
            System.out.printf("records/s                      %,.0f%n%n", edge.recordsOut() / seconds);
        } finally {
            job.cancel().get();
        }
    }

    /** Records in the stream, read from the start of every shard (moto keeps them all and never closes its shard). */
    private static long streamRecords(DynamoDbStreamsClient streams, String streamArn) {
        long records = 0;
        for (Shard shard : streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards()) {
            String iterator = streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String from = iterator;
                GetRecordsResponse batch = streams.getRecords(b -> b.shardIterator(from).limit(1_000));
                if (batch.records().isEmpty()) {
                    break;
                }
                records += batch.records().size();
                iterator = batch.nextShardIterator();
            }
        }
        return records;
    }

    /** Polls often, and cheaply until the count agrees, so the catch-up ends close to when it really did. */
    private static void awaitIndexEqualsTable(JobClient job, OpenSearchServer opensearch,
            List<Map<String, AttributeValue>> table) throws Exception {
        KeySchema schema = KeySchema.of(TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (true) {
            opensearch.refresh(TABLE);
            if (opensearch.count(TABLE) == table.size()
                    && IndexComparison.differences(table, schema, opensearch, TABLE).isEmpty()) {
                return;
            }
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                fail("The job ended (" + job.getJobStatus().get() + ") before the index equalled the table");
            }
            if (System.nanoTime() > deadline) {
                fail("The index did not equal the table within 5 minutes");
            }
            Thread.sleep(250);
        }
    }

    /**
     * CPU time of the threads whose names start with one of {@code chains}: Flink names a task's thread after its
     * chain (its source's fetcher thread is "Source Data Fetcher for ..."). They all started with this job.
     */
    private static long threadCpuNanos(String... chains) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && Stream.of(chains).anyMatch(thread.getThreadName()::startsWith)) {
                nanos += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return nanos;
    }

    /**
     * The edge's counts once every stream record has crossed it and the counts have stayed the same for longer than
     * one metrics fetch (bytes are counted per finished network buffer, so they can trail the records).
     */
    private static Edge awaitFinal(FlinkRest rest, String jobId, long streamRecords) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Edge last = null;
        long lastChanged = System.nanoTime();
        while (true) {
            Edge edge = edge(rest, jobId);
            if (!edge.equals(last)) {
                last = edge;
                lastChanged = System.nanoTime();
            } else if (edge.recordsIn() == streamRecords
                    && System.nanoTime() - lastChanged > METRICS_FETCH.plusSeconds(2).toNanos()) {
                assertThat(edge.recordsOut()).as("records out of the chain before keyBy, none of them failures")
                        .isEqualTo(streamRecords);
                return edge;
            }
            if (System.nanoTime() > deadline) {
                fail("The keyed edge's metrics did not settle at " + streamRecords + " records: " + edge);
            }
            Thread.sleep(1_000);
        }
    }

    private static Edge edge(FlinkRest rest, String jobId) {
        JsonNode out = null;
        JsonNode in = null;
        for (JsonNode vertex : rest.get("/jobs/" + jobId).path("vertices")) {
            String name = vertex.path("name").asText();
            if (name.startsWith(BEFORE_KEY_BY)) {
                out = vertex.path("metrics");
            } else if (name.startsWith(AFTER_KEY_BY)) {
                in = vertex.path("metrics");
            }
        }
        assertThat(out).as("vertex " + BEFORE_KEY_BY).isNotNull();
        assertThat(in).as("vertex " + AFTER_KEY_BY).isNotNull();
        return new Edge(out.path("write-records").asLong(), out.path("write-bytes").asLong(),
                in.path("read-records").asLong());
    }
}
