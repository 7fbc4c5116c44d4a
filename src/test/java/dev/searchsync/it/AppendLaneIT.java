package dev.searchsync.it;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.config.JobConfig;
import dev.searchsync.config.PropertyGroups;
import dev.searchsync.job.Input;
import dev.searchsync.job.Lane;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;
import dev.searchsync.model.RecordMapper;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The APPEND lane end to end, with a bounded in-JVM input of numbered events (the lane's inputs, Kinesis and
 * CloudWatch Logs, come later): every event becomes a document created under an id derived from its position, and
 * running the same events through the job again (a replay from an earlier position) writes nothing twice: the
 * creates answer 409 and count as done, so every document keeps version 1 and the job ends without a failure.
 */
class AppendLaneIT {
    private static final String INDEX = "append-lane";
    private static final int EVENTS = 500;

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @Test
    void everyEventIsIndexedOnceAlsoWhenTheSameEventsAreReadAgain(@TempDir Path letters) throws Exception {
        OpenSearchServer opensearch = OPENSEARCH.server();
        opensearch.deleteIndex(INDEX);
        JobConfig config = JobConfig.from(PropertyGroups.of(Map.of(
                "source", Map.of("stream.arn", "arn:aws:dynamodb:eu-west-1:123456789012:table/unused/stream/x"),
                "index", Map.of("name", INDEX, "partition.key", "unused"),
                "opensearch", Map.of("endpoint", opensearch.httpUrl(), "bulk.flush.interval.ms", "200"),
                "deadletter", Map.of("path", letters.toUri().toString()))));
        SearchSyncJob.prepareIndex(config);
        Input<Long> events = new Input<>("numbered events", new NumberSequenceSource(1, EVENTS), new NumberedEvents(),
                Lane.APPEND);

        for (int run = 1; run <= 2; run++) {
            StreamExecutionEnvironment env = SyncJobs.environment(500, 0, Duration.ZERO);
            SearchSyncJob.of(config, events).addTo(env);
            env.execute("append lane, run " + run);

            Map<String, JsonNode> documents = IndexComparison.documents(opensearch, INDEX);
            assertThat(documents).as("documents after run %d", run).hasSize(EVENTS);
            assertThat(documents.values()).as("no document written twice")
                    .allSatisfy(document -> assertThat(document.path("_version").asLong()).isEqualTo(1));
            assertThat(documents.get(NumberedEvents.id(42)).path("_source").path("n").asLong()).isEqualTo(42);
        }
    }

    /** Event n of "shard" n % 2, at position n: one document per event, created under its position. */
    static final class NumberedEvents implements RecordMapper<Long> {
        private static final long serialVersionUID = 1L;

        static String id(long n) {
            return "shard-" + (n % 2) + "|" + n + "|0";
        }

        @Override
        public String kind() {
            return "numbered-events";
        }

        @Override
        public Origin origin(Long n) {
            return Origin.of("numbers", kind(), "shard-" + (n % 2), null, Long.toString(n), 1_700_000_000_000L + n,
                    "event-" + n);
        }

        @Override
        public RawRecord raw(Long n) {
            return RawRecord.text(Long.toString(n));
        }

        @Override
        public List<DocumentAction> actions(Long n) {
            return List.of(DocumentAction.create(INDEX, id(n), "{\"n\":" + n + "}", origin(n)));
        }

        @Override
        public Long restore(RawRecord raw, Origin origin) {
            return Long.parseLong(raw.getData());
        }

        @Override
        public TypeInformation<Long> type() {
            return Types.LONG;
        }
    }
}
