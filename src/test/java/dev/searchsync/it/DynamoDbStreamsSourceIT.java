package dev.searchsync.it;

import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.StreamRolloverProxy;
import dev.searchsync.testbed.StreamRolloverProxyExtension;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source at parallelism 2 on a moto table's stream, read through the {@link StreamRolloverProxy} (an in-JVM fake
 * of what moto cannot do): 20k changes written while the job runs, two shard rollovers, a burst of throttled
 * GetRecords calls and every iterator expiring mid-workload; each change is read exactly once and in per-key order.
 */
class DynamoDbStreamsSourceIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final StreamRolloverProxyExtension PROXY = new StreamRolloverProxyExtension(MOTO);

    @Test
    void readsEveryChangeOnceAndInPerKeyOrderAcrossRolloversThrottlingAndExpiry() throws Exception {
        StreamRolloverProxy proxy = PROXY.proxy();
        MotoServer moto = MOTO.server();
        String run = "source-it";
        String streamArn = moto.createTableWithStream("orders", OrderedWorkload.HASH_KEY, null);

        StreamExecutionEnvironment env = SourceTestJobs.environment();
        SourceTestJobs.observeInto(SourceTestJobs.changes(env,
                SourceTestJobs.source(SourceTestJobs.aws(moto, proxy.endpoint()), streamArn)), run);
        JobClient job = env.executeAsync("source-it");
        try {
            OrderedWorkload workload = new OrderedWorkload(moto.client(), "orders", 2_000, 7);
            workload.write(7_000);
            proxy.rollover(streamArn);
            proxy.throttleNextGetRecords(4);
            workload.write(7_000);
            // While the shard is open and written: the reader must read on with an iterator from before. (Right
            // after a rollover, a read in flight could reach the shard's end first and never meet the expiry.)
            proxy.expireIterators();
            workload.write(3_000);
            proxy.rollover(streamArn);
            workload.write(3_000);
            SourceTestJobs.await("20,000 committed changes", Duration.ofMinutes(3),
                    () -> CommittingSink.committed(run).size() >= workload.written(), job);
            Thread.sleep(1_500); // anything extra (a duplicate) would be committed by now

            Map<String, Integer> depths = StreamChecks.lineageDepths(proxy.streamsClient(), streamArn);
            assertThat(depths.values()).as("a chain of three shards").containsExactlyInAnyOrder(0, 1, 2);
            assertThat(CommittingSink.committed(run)).hasSize(20_000);
            assertThat(CommittingSink.committed(run).stream().map(o -> o.shardId).distinct())
                    .as("changes were read from every shard of the chain").hasSize(3);
            assertThat(proxy.throttledAnswers()).as("throttled GetRecords answers").isEqualTo(4);
            assertThat(proxy.expiredAnswers()).as("expired-iterator answers").isPositive();
            StreamChecks.assertExactlyOnceInOrder(
                    CommittingSink.committedBySubtask(run), workload.changesPerKey(), depths);
        } finally {
            job.cancel().get();
        }
    }
}
