package dev.searchsync.it;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.cdc.dynamodb.DocumentIds;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.config.JobConfig;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobgraph.SavepointRestoreSettings;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays change nothing that is already right: restoring an older savepoint re-sends changes with the versions
 * they had, and re-reading the stream from TRIM_HORIZON with empty state computes the same versions again, so
 * OpenSearch refuses every replayed write; changes made afterwards still apply.
 */
class ReplayIT {
    private static final KeySchema SCHEMA = KeySchema.of(TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @TempDir
    Path savepoints;

    @Test
    void olderSavepointAndFullReplayLeaveTheIndexUnchanged() throws Exception {
        MotoServer moto = MOTO.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        String streamArn = moto.createTableWithStream("replay", TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        opensearch.deleteIndex("replay");
        JobConfig config = SyncJobs.config(moto, opensearch, streamArn, "replay");
        SearchSyncJob.prepareIndex(config);
        TypedWorkload workload = new TypedWorkload(moto.client(), "replay", 300, 21);

        // 1. A first run, with a savepoint in the middle of its changes.
        JobClient first = start(config, null);
        workload.write(1_000);
        awaitIndexEqualsTable(workload, opensearch, first);
        String savepoint = first.triggerSavepoint(savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
        workload.write(1_000);
        awaitIndexEqualsTable(workload, opensearch, first);
        Map<String, JsonNode> beforeRestore = IndexComparison.documents(opensearch, "replay");
        first.cancel().get();
        workload.takeTouchedKeys();

        // 2. Restore the older savepoint: the second half is read and sent again, then new changes follow.
        JobClient restored = start(config, savepoint);
        workload.write(250);
        awaitIndexEqualsTable(workload, opensearch, restored);
        assertUntouchedUnchanged(beforeRestore, IndexComparison.documents(opensearch, "replay"),
                workload.takeTouchedKeys());
        Map<String, JsonNode> beforeReplay = IndexComparison.documents(opensearch, "replay");
        restored.cancel().get();

        // 3. Empty state, from TRIM_HORIZON: every change of the stream is read and sent again.
        JobClient replay = start(config, null);
        workload.write(250);
        awaitIndexEqualsTable(workload, opensearch, replay);
        assertUntouchedUnchanged(beforeReplay, IndexComparison.documents(opensearch, "replay"),
                workload.takeTouchedKeys());
        replay.cancel().get();
    }

    private static JobClient start(JobConfig config, String savepoint) throws Exception {
        StreamExecutionEnvironment env = SyncJobs.environment();
        SearchSyncJob.fromConfig(config).addTo(env);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName("replay");
        if (savepoint != null) {
            graph.setSavepointRestoreSettings(SavepointRestoreSettings.forPath(savepoint, false));
        }
        return env.executeAsync(graph);
    }

    private static void awaitIndexEqualsTable(TypedWorkload workload, OpenSearchServer opensearch, JobClient job)
            throws Exception {
        List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> table = workload.scan();
        SyncJobs.awaitEqual("the index to equal the table", Duration.ofMinutes(3), job,
                () -> IndexComparison.differences(table, SCHEMA, opensearch, "replay"));
    }

    private static void assertUntouchedUnchanged(Map<String, JsonNode> before, Map<String, JsonNode> after,
            List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> touchedKeys) {
        Set<String> touched = new HashSet<>();
        touchedKeys.forEach(key -> touched.add(DocumentIds.of(key, SCHEMA)));
        int compared = 0;
        for (Map.Entry<String, JsonNode> entry : before.entrySet()) {
            if (touched.contains(entry.getKey())) {
                continue;
            }
            compared++;
            JsonNode now = after.get(entry.getKey());
            assertThat(now).as("document %s still there", entry.getKey()).isNotNull();
            assertThat(now.path("_version").asLong()).as("version of %s", entry.getKey())
                    .isEqualTo(entry.getValue().path("_version").asLong());
            assertThat(now.path("_source")).as("source of %s", entry.getKey())
                    .isEqualTo(entry.getValue().path("_source"));
        }
        assertThat(compared).as("documents no later change touched").isGreaterThan(20);
    }
}
