package dev.searchsync.it;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.config.JobConfig;
import dev.searchsync.config.PropertyGroups;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.opensearch.SinkJobs;
import dev.searchsync.source.fake.FakeStream;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hot-key workload (90% of the changes on 10% of the keys) caught up by the production pipeline: OpenSearch gets at
 * least five times fewer write actions than there are changes, because changes of one document that wait for the
 * same bulk are sent as the newest alone; and the index still equals the table, every document at the version of its
 * last change, with versions increasing change after change. The stream is an in-JVM fake (moto would spend a minute
 * serving 20,000 records); OpenSearch is the test bed's.
 */
class HotKeyCoalescingIT {
    private static final int KEYS = 1_000;
    private static final int HOT_KEYS = 100;
    private static final int CHANGES = 20_000;
    private static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/hot/stream/2026-12-01T00:00:00.000";
    private static final List<String> SHARDS = List.of("shardId-00000001764547200000-0a1b2c3d",
            "shardId-00000001764547200000-4e5f6a7b");
    /** What reached the sink's writer, by document id, in arrival order: the static map the MiniCluster shares. */
    private static final Map<String, List<Long>> VERSIONS_AT_SINK = new ConcurrentHashMap<>();

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots(METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @Test
    void hotKeysReachOpenSearchCoalescedAndTheIndexEqualsTheTable(@TempDir Path temp) throws Exception {
        OpenSearchServer opensearch = OPENSEARCH.server();
        String index = "hot-keys";
        FakeStream stream = new FakeStream(ARN);
        for (String shard : SHARDS) {
            stream.createShard(shard, null);
        }
        Map<String, Map<String, AttributeValue>> table = fill(stream);
        JobConfig config = config(index, opensearch, temp);
        opensearch.deleteIndex(index);
        SearchSyncJob.prepareIndex(config);
        FakeDynamoDbStreams.register(index, stream);
        JobClient job = null;
        try {
            // Checkpoints 10 s apart: bulks leave when full or on the flush interval (the default), as in production.
            StreamExecutionEnvironment env = SyncJobs.environment(10_000, 0, Duration.ZERO);
            env.setStateBackend(new HashMapStateBackend());
            SearchSyncJob<ChangeRecord> pipeline = SearchSyncJob.dynamoDbStreams(config)
                    .withSource(FakeDynamoDbStreams.source(index, SyncJobs.fastPolling()));
            pipeline.withSink(new RecordingSink(pipeline.sink())).addTo(env);
            job = env.executeAsync("hot keys");
            JobClient running = job;
            SyncJobs.awaitEqual("the index to equal the table", Duration.ofMinutes(2), job,
                    () -> differences(opensearch, index, table));

            long arrived = VERSIONS_AT_SINK.values().stream().mapToLong(List::size).sum();
            assertThat(arrived).as("changes reaching the sink (duplicates and stale ones dropped before)")
                    .isEqualTo(CHANGES);
            VERSIONS_AT_SINK.forEach((id, versions) -> assertThat(versions).as("versions of %s", id)
                    .isSortedAccordingTo(Long::compare).doesNotHaveDuplicates());
            Map<String, JsonNode> documents = IndexComparison.documents(opensearch, index);
            documents.forEach((id, document) -> assertThat(document.path("_version").asLong())
                    .as("version of %s", id).isEqualTo(last(VERSIONS_AT_SINK.get(id))));

            long sent = counter(running.getJobID(), "bulkActionsSent");
            long coalesced = counter(running.getJobID(), "actionsCoalesced");
            JsonNode indexing = opensearch.requestJson("GET", "/" + index + "/_stats/indexing", null)
                    .path("_all").path("primaries").path("indexing");
            long received = indexing.path("index_total").asLong() + indexing.path("delete_total").asLong();
            System.out.printf("hot keys: %,d changes, %,d actions sent, %,d coalesced, OpenSearch index_total +"
                    + " delete_total %,d%n", CHANGES, sent, coalesced, received);
            assertThat(sent + coalesced).as("every change is sent or coalesced into a newer one").isEqualTo(arrived);
            assertThat(sent).as("write actions sent").isLessThanOrEqualTo(CHANGES / 5);
            assertThat(received).as("write actions OpenSearch counted").isLessThanOrEqualTo(CHANGES / 5);
        } finally {
            if (job != null) {
                job.cancel().get();
            }
            FakeDynamoDbStreams.unregister(index);
        }
    }

    /** Writes the workload to the fake stream; returns the table it leaves (live items by key). */
    private static Map<String, Map<String, AttributeValue>> fill(FakeStream stream) {
        Random random = new Random(20261201);
        Map<String, Map<String, AttributeValue>> table = new LinkedHashMap<>();
        for (int change = 0; change < CHANGES; change++) {
            int key = random.nextInt(10) < 9 ? random.nextInt(HOT_KEYS) : HOT_KEYS + random.nextInt(KEYS - HOT_KEYS);
            String id = "k" + key;
            String shard = SHARDS.get(key % SHARDS.size());
            if (table.containsKey(id) && random.nextInt(10) == 0) {
                table.remove(id);
                stream.append(shard, id, FakeDynamoDbStreams.remove());
                continue;
            }
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put(FakeDynamoDbStreams.KEY_ATTRIBUTE, AttributeValue.fromS(id));
            item.put("change", AttributeValue.fromN(Integer.toString(change)));
            item.put("price", AttributeValue.fromN(change + ".05"));
            item.put("note", AttributeValue.fromS("change " + change + " of " + id));
            stream.append(shard, id, FakeDynamoDbStreams.write(table.containsKey(id) ? "MODIFY" : "INSERT", item));
            table.put(id, item);
        }
        return table;
    }

    private static List<String> differences(OpenSearchServer opensearch, String index,
            Map<String, Map<String, AttributeValue>> table) throws Exception {
        Map<String, JsonNode> documents = IndexComparison.documents(opensearch, index);
        List<String> differences = new ArrayList<>();
        table.forEach((id, item) -> {
            JsonNode document = documents.get(id);
            String change = item.get("change").n();
            if (document == null) {
                differences.add(id + " missing");
            } else if (!change.equals(document.path("_source").path("change").asText())) {
                differences.add(id + " at change " + document.path("_source").path("change").asText() + ", expected "
                        + change);
            } else if (!document.path("_source").path("price").asText().equals(item.get("price").n())) {
                differences.add(id + " price " + document.path("_source").path("price"));
            }
        });
        documents.keySet().stream().filter(id -> !table.containsKey(id)).map(id -> id + " deleted but indexed")
                .forEach(differences::add);
        return differences;
    }

    private static JobConfig config(String index, OpenSearchServer opensearch, Path temp) throws IOException {
        Path dead = Files.createDirectories(temp.resolve("dead"));
        return JobConfig.from(PropertyGroups.of(Map.of(
                "source", Map.of("stream.arn", ARN),
                "index", Map.of("name", index, "partition.key", FakeDynamoDbStreams.KEY_ATTRIBUTE),
                "opensearch", Map.of("endpoint", opensearch.httpUrl()),
                "deadletter", Map.of("path", "file://" + dead.toAbsolutePath()),
                "load", Map.of("mode", "NEVER"))));
    }

    private static long last(List<Long> versions) {
        return versions.get(versions.size() - 1);
    }

    private static long counter(JobID job, String name) {
        return SinkJobs.counter(METRICS, job, name);
    }

    /** The job's sink, noting each action's version as its writer receives it. */
    private static final class RecordingSink implements Sink<DocumentAction> {
        private static final long serialVersionUID = 1L;
        private final Sink<DocumentAction> delegate;

        RecordingSink(Sink<DocumentAction> delegate) {
            this.delegate = delegate;
        }

        @Override
        public SinkWriter<DocumentAction> createWriter(InitContext context) throws IOException {
            SinkWriter<DocumentAction> writer = delegate.createWriter(context);
            return new SinkWriter<>() {
                @Override
                public void write(DocumentAction action, Context writeContext)
                        throws IOException, InterruptedException {
                    VERSIONS_AT_SINK.computeIfAbsent(action.getId(), id -> new ArrayList<>()).add(action.getVersion());
                    writer.write(action, writeContext);
                }

                @Override
                public void flush(boolean endOfInput) throws IOException, InterruptedException {
                    writer.flush(endOfInput);
                }

                @Override
                public void close() throws Exception {
                    writer.close();
                }
            };
        }
    }
}
