package dev.searchsync;

import dev.searchsync.config.JobConfig;
import dev.searchsync.config.PropertyGroups;

import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production job graph as Managed Service for Apache Flink receives it: the max parallelism its keyed state is
 * split by, and the operator ids its snapshots are mapped back by. Changing either breaks every restore.
 */
class SearchSyncJobTest {
    private static final String ARN =
            "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2026-01-01T00:00:00.000";

    @Test
    void everyOperatorHasTheJobsMaxParallelism() {
        JobGraph job = streamGraph().getJobGraph();

        assertThat(job.getVertices()).isNotEmpty().allSatisfy(vertex ->
                assertThat(vertex.getMaxParallelism()).as(vertex.getName()).isEqualTo(4096));
    }

    @Test
    void operatorUidsAndTheIdsSnapshotsAreKeyedByStayAsTheyWere() {
        StreamGraph graph = streamGraph();
        List<String> uids = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            uids.add(node.getTransformationUID());
        }
        List<String> operatorIds = new ArrayList<>();
        for (JobVertex vertex : graph.getJobGraph().getVertices()) {
            vertex.getOperatorIDs().forEach(ids -> operatorIds.add(ids.getGeneratedOperatorID().toHexString()));
        }

        // Literals, not the constants: a changed constant must fail here.
        assertThat(uids).containsExactlyInAnyOrder(
                "dynamodb-stream-source", "dynamodb-streams-load", "convert-to-documents", "order-and-version",
                "opensearch-sink", "failures-to-dead-letters", "dead-letter-sink", "Sink Committer: dead-letter-sink",
                "redrive-source", "redrive-letters");
        // The murmur3 hashes of the uids above, as snapshots taken so far hold them. (validate-documents, a stateless
        // step, became part of convert-to-documents when the core took many inputs: nothing of it was in a snapshot.)
        assertThat(operatorIds).containsExactlyInAnyOrder(
                "a89df324171b5250bafb5aafebd5ef57",
                "f7a3023a04103b0002f82af3c54dbece", "36031d90b598c105529719d0299aef5c",
                "18e09388cac46c6b4854135d1359226e", "5ee1cb17d51612867a26fd188577638e",
                "c0250cbad6287cd9870961667e3171ff", "010f8e5f231cb7f69bb477fe77a2fe26",
                "9945e5a187c3b8aac7f1a86326fe4e1d", "0a05a1f491e5a2881da341f9d40d3413",
                // dynamodb-streams-load, the initial load (new operators add to this list; none may leave it)
                "81f82cad3ad1e277dcb0cde6f71fbff5");
    }

    @Test
    void aJobThatNeverLoadsHasNoLoadSource() {
        List<String> uids = uids(graph(JobConfig.from(PropertyGroups.of(Map.of(
                "source", Map.of("stream.arn", ARN),
                "index", Map.of("partition.key", "pk"),
                "load", Map.of("mode", "NEVER"),
                "opensearch", Map.of("endpoint", "https://search.example.com"))))));

        assertThat(uids).contains("dynamodb-stream-source").doesNotContain("dynamodb-streams-load");
    }

    @Test
    void kinesisEventsWithoutIdsTakeTheAppendLaneAndWithIdsTheVersionedOne() {
        List<String> append = uids(kinesisGraph(Map.of()));
        List<String> versioned = uids(kinesisGraph(Map.of("id.field", "/id")));

        assertThat(append).containsExactlyInAnyOrder("kinesis-source", "convert-to-documents", "opensearch-sink",
                "failures-to-dead-letters", "dead-letter-sink", "Sink Committer: dead-letter-sink");
        assertThat(versioned).containsExactlyInAnyOrder("kinesis-source", "convert-to-documents",
                "order-and-version", "opensearch-sink", "failures-to-dead-letters", "dead-letter-sink",
                "Sink Committer: dead-letter-sink");
    }

    private static StreamGraph kinesisGraph(Map<String, String> events) {
        JobConfig config = JobConfig.from(PropertyGroups.of(Map.of(
                "source", Map.of("type", "kinesis", "stream.arn", "arn:aws:kinesis:eu-west-1:123456789012:stream/s"),
                "events", events,
                "opensearch", Map.of("endpoint", "https://search.example.com"),
                "deadletter", Map.of("path", "s3://bucket/dead-letters"))));
        return graph(config);
    }

    private static List<String> uids(StreamGraph graph) {
        List<String> uids = new ArrayList<>();
        for (StreamNode node : graph.getStreamNodes()) {
            uids.add(node.getTransformationUID());
        }
        return uids;
    }

    /** The job {@link SearchSyncJob#main} builds, with a redrive folder so that every operator is there. */
    private static StreamGraph streamGraph() {
        return graph(JobConfig.from(PropertyGroups.of(Map.of(
                "source", Map.of("stream.arn", ARN),
                "index", Map.of("partition.key", "pk"),
                "opensearch", Map.of("endpoint", "https://search.example.com"),
                "deadletter", Map.of("path", "s3://bucket/dead-letters", "redrive.path", "s3://bucket/redrive")))));
    }

    private static StreamGraph graph(JobConfig config) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        SearchSyncJob.fromConfig(config).addTo(env);
        return env.getStreamGraph();
    }
}
