package dev.searchsync.it;

import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.StreamRolloverProxy;
import dev.searchsync.testbed.StreamRolloverProxyExtension;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job fails once after a completed checkpoint, restarts from it, and still delivers every change exactly
 * once and in per-key order, across a shard rollover: reading resumes right after the last checkpointed record.
 * The stream is a moto table's, with rollovers from the in-JVM {@link StreamRolloverProxy}.
 */
class SourceRecoveryIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final StreamRolloverProxyExtension PROXY = new StreamRolloverProxyExtension(MOTO);

    @Test
    void restartAfterCheckpointLosesAndRepeatsNothing() throws Exception {
        StreamRolloverProxy proxy = PROXY.proxy();
        MotoServer moto = MOTO.server();
        String run = "recovery-it";
        String streamArn = moto.createTableWithStream("orders", OrderedWorkload.HASH_KEY, null);

        StreamExecutionEnvironment env = SourceTestJobs.environment();
        DataStream<ChangeRecord> changes = SourceTestJobs.changes(env, SourceTestJobs.source(SourceTestJobs.aws(moto, proxy.endpoint()), streamArn))
                .map(new FailOnceAfterCheckpoint<ChangeRecord>(run, 500))
                .returns(TypeInformation.of(ChangeRecord.class))
                .uid("fail-once");
        SourceTestJobs.observeInto(changes, run);
        JobClient job = env.executeAsync("recovery-it");
        try {
            OrderedWorkload workload = new OrderedWorkload(moto.client(), "orders", 500, 11);
            // Keep changes flowing until the failure has happened mid-stream.
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (!FailOnceAfterCheckpoint.hasFailed(run) && System.nanoTime() < deadline) {
                workload.write(250);
                Thread.sleep(100);
            }
            assertThat(FailOnceAfterCheckpoint.hasFailed(run)).as("the planned failure happened").isTrue();
            proxy.rollover(streamArn);
            workload.write(3_000);
            SourceTestJobs.await("every change committed", Duration.ofMinutes(3),
                    () -> CommittingSink.committed(run).size() >= workload.written(), job);
            Thread.sleep(1_500);

            Map<String, Integer> depths = StreamChecks.lineageDepths(proxy.streamsClient(), streamArn);
            assertThat(CommittingSink.committed(run)).hasSize(workload.written());
            StreamChecks.assertExactlyOnceInOrder(
                    CommittingSink.committedBySubtask(run), workload.changesPerKey(), depths);
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void failureJustAfterAParentFinishedKeepsTheChildBehindIt() throws Exception {
        StreamRolloverProxy proxy = PROXY.proxy();
        MotoServer moto = MOTO.server();
        String run = "recovery-lineage-it";
        String streamArn = moto.createTableWithStream("lineage", OrderedWorkload.HASH_KEY, null);
        String rootShard = proxy.streamsClient().describeStream(b -> b.streamArn(streamArn))
                .streamDescription().shards().get(0).shardId();

        StreamExecutionEnvironment env = SourceTestJobs.environment();
        // Small batches and a slow consumer: after the restore, the parent's tail since the last checkpoint takes
        // many polls, so a child handed out too early would interleave with it.
        DataStream<ChangeRecord> changes = SourceTestJobs.changes(env, SourceTestJobs.source(SourceTestJobs.aws(moto, proxy.endpoint()), streamArn, 10))
                .map(new FailOnFirstRecordOfShard(run, rootShard, 500_000))
                .returns(TypeInformation.of(ChangeRecord.class))
                .uid("fail-on-child");
        SourceTestJobs.observeInto(changes, run);
        JobClient job = env.executeAsync(run);
        try {
            OrderedWorkload workload = new OrderedWorkload(moto.client(), "lineage", 300, 13);
            workload.write(3_000);
            proxy.rollover(streamArn);
            workload.write(3_000);
            SourceTestJobs.await("every change committed", Duration.ofMinutes(3),
                    () -> CommittingSink.committed(run).size() >= workload.written(), job);
            Thread.sleep(4_000);

            assertThat(FailOnFirstRecordOfShard.hasFailed(run)).as("the planned failure happened").isTrue();
            Map<String, Integer> depths = StreamChecks.lineageDepths(proxy.streamsClient(), streamArn);
            assertThat(CommittingSink.committed(run)).hasSize(workload.written());
            StreamChecks.assertExactlyOnceInOrder(
                    CommittingSink.committedBySubtask(run), workload.changesPerKey(), depths);
        } finally {
            job.cancel().get();
        }
    }
}
