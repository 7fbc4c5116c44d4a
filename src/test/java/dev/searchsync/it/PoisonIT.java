package dev.searchsync.it;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.config.JobConfig;
import dev.searchsync.deadletter.DeadLetter;
import dev.searchsync.model.FailureStage;
import dev.searchsync.source.ShardStreamSource;
import dev.searchsync.source.dynamodb.DynamoDbStreamsShardClient;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;
import dev.searchsync.testbed.S3FileSystems;
import dev.searchsync.testbed.S3ProxyExtension;
import dev.searchsync.testbed.S3ProxyServer;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Poison mixed into good changes: stream records the source cannot read (injected through its converter),
 * documents OpenSearch refuses (a string in a field mapped as long, a field the
 * strict mapping does not know) and documents over the configured size and field limits become dead letters in the
 * S3-compatible store, exactly once, with their whole change; every good document is indexed; and the job never
 * stops: it runs with no restart strategy, so any failure would end it.
 */
class PoisonIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @AfterAll
    static void resetFileSystems() {
        S3FileSystems.reset();
    }

    @Test
    void rejectedDocumentsBecomeDeadLettersAndGoodOnesAreIndexed() throws Exception {
        MotoServer moto = MOTO.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        S3ProxyServer s3 = S3.server();
        S3FileSystems.useS3Proxy(s3);
        s3.createBucket("poison-letters");
        String streamArn = moto.createTableWithStream("poison", TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        opensearch.deleteIndex("poison");
        JobConfig config = SyncJobs.config(moto, opensearch, streamArn, "poison", Map.of(
                "deadletter", Map.of("path", "s3://poison-letters/dead"),
                "index", Map.of("name", "poison", "mapping", "e2e-test.json", "max.document.bytes", "8192",
                        "max.fields", "40")));
        SearchSyncJob.prepareIndex(config);

        StreamExecutionEnvironment env = SyncJobs.environment(1_000, 0, Duration.ZERO);
        // The production pipeline, with a source whose converter garbles the records of 'decode-' items.
        SearchSyncJob.dynamoDbStreams(config)
                .withSource(new ShardStreamSource<>(
                        () -> new DynamoDbStreamsShardClient(config.source().stream(), config.source().aws()),
                        new CorruptingConverter(), SyncJobs.fastPolling()))
                .addTo(env);
        JobClient job = env.executeAsync("poison");
        try {
            List<Map<String, AttributeValue>> good = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Map<String, AttributeValue> item = item(i, AttributeValue.fromN(Integer.toString(i)));
                if (i % 60 == 7) {
                    // Poison: a string where the mapping says long.
                    item = item(i, AttributeValue.fromS("not a number " + i));
                } else if (i % 60 == 31) {
                    // Poison: a field the strict mapping does not know.
                    item.put("surprise", AttributeValue.fromS("unmapped " + i));
                } else if (i % 60 == 43) {
                    // Poison, caught before the sink: over max.document.bytes.
                    item.put("name", AttributeValue.fromS("x".repeat(10_000)));
                } else if (i % 60 == 53) {
                    // Poison, caught before the sink: over max.fields.
                    for (int f = 0; f < 50; f++) {
                        item.put("extra" + f, AttributeValue.fromN(Integer.toString(f)));
                    }
                } else {
                    good.add(item);
                }
                Map<String, AttributeValue> put = item;
                moto.client().putItem(b -> b.tableName("poison").item(put));
            }
            for (int i = 0; i < 3; i++) {
                // Poison: stream records the source cannot read.
                Map<String, AttributeValue> undecodable = item(1_000 + i, AttributeValue.fromN("1"));
                undecodable.put(TypedWorkload.RANGE_KEY, AttributeValue.fromS("decode-" + i));
                moto.client().putItem(b -> b.tableName("poison").item(undecodable));
            }

            KeySchema schema = KeySchema.of(TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
            SyncJobs.awaitEqual("every good document indexed", Duration.ofMinutes(2), job,
                    () -> IndexComparison.differences(good, schema, opensearch, "poison"));
            List<DeadLetter> letters = DeadLetterFiles.await(s3, "poison-letters", "dead/", 23,
                    () -> assertThat(job.getJobStatus().get()).as("job status").isEqualTo(JobStatus.RUNNING));

            assertThat(letters).hasSize(23);
            List<DeadLetter> undecodable = letters.stream().filter(l -> l.stage() == FailureStage.DECODE)
                    .collect(Collectors.toList());
            assertThat(undecodable).hasSize(3).allSatisfy(letter -> {
                assertThat(letter.getError().getReason()).contains("TRUNCATE").contains("decode-");
                assertThat(letter.getOrigin().getSequence()).isNotBlank();
                assertThat(letter.getOrigin().getEventId()).isNotBlank();
            });
            letters = letters.stream().filter(l -> l.stage() != FailureStage.DECODE).collect(Collectors.toList());
            assertThat(letters.stream().map(l -> l.getAction().getId()).distinct()).hasSize(20);
            List<DeadLetter> rejected = letters.stream().filter(l -> l.stage() == FailureStage.INDEX)
                    .collect(Collectors.toList());
            List<DeadLetter> invalid = letters.stream().filter(l -> l.stage() == FailureStage.VALIDATE)
                    .collect(Collectors.toList());
            assertThat(rejected).hasSize(10).allSatisfy(letter -> {
                assertThat(letter.getError().getStatus()).isEqualTo(400);
                assertThat(letter.getError().getType()).isIn("mapper_parsing_exception", "strict_dynamic_mapping_exception");
                assertThat(letter.getAction().getVersion()).isPositive();
            });
            assertThat(rejected.stream().filter(l -> l.getError().getReason().contains("not a number"))).hasSize(5);
            assertThat(invalid).hasSize(10);
            assertThat(invalid.stream().filter(l -> l.getError().getReason().contains("max.document.bytes"))).hasSize(5);
            assertThat(invalid.stream().filter(l -> l.getError().getReason().contains("max.fields"))).hasSize(5);
            assertThat(letters).allSatisfy(letter -> {
                // The item: in the whole change before the sink; in the refused document at the sink, since the
                // change's images do not cross the keyBy.
                assertThat(letter.stage() == FailureStage.INDEX ? letter.getAction().getDocument()
                        : letter.getRecord().getData()).contains("\"pk\"");
                assertThat(letter.getAction().getDocument()).contains("\"sk\"");
                assertThat(letter.getOrigin().getSequence()).isNotBlank();
                assertThat(letter.getJob().getId()).isEqualTo(job.getJobID().toString());
            });
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            job.cancel().get();
        }
    }

    private static Map<String, AttributeValue> item(int i, AttributeValue count) {
        Map<String, AttributeValue> item = new java.util.HashMap<>();
        item.put(TypedWorkload.HASH_KEY, AttributeValue.fromS("p" + (i % 7)));
        item.put(TypedWorkload.RANGE_KEY, AttributeValue.fromS("s" + i));
        item.put("name", AttributeValue.fromS("item " + i));
        item.put("count", count);
        return item;
    }
}
