package dev.searchsync.it;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.DynamoDbStreamsSource;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.config.JobConfig;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;
import dev.searchsync.testbed.StreamRolloverProxy;
import dev.searchsync.testbed.StreamRolloverProxyExtension;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product's promise on real servers at parallelism 2: after 8,000 changes over 1,000 keys with every
 * attribute type, updates, deletes, re-inserts, a shard rollover and a job failure after a checkpoint, the index
 * equals a full scan of the table. The table is moto's; the rollover comes from the in-JVM
 * {@link StreamRolloverProxy} in front of it, since moto's stream never rolls over.
 */
class SyncEndToEndIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @RegisterExtension
    static final StreamRolloverProxyExtension PROXY = new StreamRolloverProxyExtension(MOTO);

    @Test
    void indexEqualsTableAfterAWorkloadWithRolloverAndFailure() throws Exception {
        StreamRolloverProxy proxy = PROXY.proxy();
        MotoServer moto = MOTO.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        String run = "e2e";
        String streamArn = moto.createTableWithStream("e2e", TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        opensearch.deleteIndex("e2e");
        JobConfig config = SyncJobs.config(proxy.endpoint(), moto, opensearch, streamArn, "e2e", Map.of());
        SearchSyncJob.prepareIndex(config);

        StreamExecutionEnvironment env = SyncJobs.environment();
        SearchSyncJob<ChangeRecord> production = SearchSyncJob.dynamoDbStreams(config);
        production
                .withSource(DynamoDbStreamsSource.create(config.source().stream(), config.source().aws(),
                        SyncJobs.fastPolling()))
                .withSink(new FailingOnceSink<DocumentAction>(production.sink(), run, 300))
                .withFailures(failures -> failures.sinkTo(new CollectingSink<FailedChange>(run)).uid("failures"))
                .addTo(env);
        JobClient job = env.executeAsync(run);
        try {
            TypedWorkload workload = new TypedWorkload(moto.client(), "e2e", 1_000, 5);
            workload.write(4_000);
            proxy.rollover(streamArn);
            workload.write(4_000);
            KeySchema schema = KeySchema.of(TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
            List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> table = workload.scan();
            SyncJobs.awaitEqual("the index to equal the table", Duration.ofMinutes(4), job,
                    () -> IndexComparison.differences(table, schema, opensearch, "e2e"));

            assertThat(FailingOnceSink.hasFailed(run)).as("the job failed once after a checkpoint").isTrue();
            assertThat(workload.reinserts()).as("keys re-inserted after a delete").isGreaterThan(100);
            assertThat(table.size()).as("live items").isBetween(400, 1_000);
            assertThat(CollectingSink.collected(run)).as("failures").isEmpty();
        } finally {
            job.cancel().get();
        }
    }
}
