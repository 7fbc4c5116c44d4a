package dev.searchsync.it;

import dev.searchsync.testbed.DynamoDbLocalExtension;
import dev.searchsync.testbed.DynamoDbLocalServer;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The source against a real DynamoDB Local stream at parallelism 2: 20k changes written while the job runs,
 * with two shard rollovers mid-workload, each read exactly once and in per-key order.
 */
class DynamoDbStreamsSourceIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();

    @Test
    void readsEveryChangeOnceAndInPerKeyOrderAcrossRollovers() throws Exception {
        DynamoDbLocalServer dynamodb = DYNAMODB.server();
        String run = "source-it";
        String streamArn = dynamodb.createTableWithStream("orders", OrderedWorkload.HASH_KEY, null);

        StreamExecutionEnvironment env = SourceTestJobs.environment();
        SourceTestJobs.observeInto(SourceTestJobs.changes(env, SourceTestJobs.source(dynamodb, streamArn)), run);
        JobClient job = env.executeAsync("source-it");
        try {
            OrderedWorkload workload = new OrderedWorkload(dynamodb.client(), "orders", 2_000, 7);
            workload.write(20_000, written -> {
                if (written == 7_000 || written == 14_000) {
                    dynamodb.triggerShardRollover();
                }
            });
            SourceTestJobs.await("20,000 committed changes", Duration.ofMinutes(3),
                    () -> CommittingSink.committed(run).size() >= workload.written(), job);
            Thread.sleep(1_500); // anything extra (a duplicate) would be committed by now

            Map<String, Integer> depths = StreamChecks.lineageDepths(dynamodb.streamsClient(), streamArn);
            assertThat(depths.values()).as("a chain of three shards").containsExactlyInAnyOrder(0, 1, 2);
            assertThat(CommittingSink.committed(run)).hasSize(20_000);
            assertThat(CommittingSink.committed(run).stream().map(o -> o.shardId).distinct())
                    .as("changes were read from every shard of the chain").hasSize(3);
            StreamChecks.assertExactlyOnceInOrder(
                    CommittingSink.committedBySubtask(run), workload.changesPerKey(), depths);
        } finally {
            job.cancel().get();
        }
    }
}
