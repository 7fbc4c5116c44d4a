package dev.searchsync.source.kinesis;

import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.source.client.RecordBatch;
import dev.searchsync.source.client.ShardInfo;
import dev.searchsync.source.client.ShardNotFoundException;
import dev.searchsync.source.client.StreamNotFoundException;
import dev.searchsync.source.split.StartingPosition;
import dev.searchsync.testbed.KinesisEmulator;
import dev.searchsync.testbed.KinesisEmulatorExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * KinesisShardClient against the Kinesis emulator (kinesis-local): resolving, listing with paging, lineage after a
 * split and a merge, every starting position, the end of a split parent and unknown shards. Throttling and expired
 * iterators, which the emulator never produces, are in KinesisShardClientTest.
 */
class KinesisShardClientIT {
    @RegisterExtension
    static final KinesisEmulatorExtension KINESIS = new KinesisEmulatorExtension();

    private static AwsClientSettings aws;

    @BeforeAll
    static void settings() {
        KinesisEmulator emulator = KINESIS.server();
        aws = new AwsClientSettings(emulator.region(), emulator.endpoint(),
                AwsClientSettings.CredentialsProvider.STATIC, emulator.accessKey(), emulator.secretKey());
    }

    @Test
    void resolvesTheSameArnByNameAndByArn() {
        String arn = createStream("client-resolve", 1);
        try (KinesisShardClient byName = new KinesisShardClient("client-resolve", aws);
                KinesisShardClient byArn = new KinesisShardClient(arn, aws)) {
            assertThat(byName.resolveStreamId()).isEqualTo(arn);
            assertThat(byArn.resolveStreamId()).isEqualTo(arn);
        }
        assertThat(arn).matches("arn:aws:kinesis:us-east-1:\\d{12}:stream/client-resolve");
    }

    @Test
    void aMissingStreamIsStreamNotFoundNamingTheKeyToCheck() {
        String arn = createStream("client-exists", 1).replace("client-exists", "client-missing");
        try (KinesisShardClient byName = new KinesisShardClient("client-missing", aws);
                KinesisShardClient byArn = new KinesisShardClient(arn, aws)) {
            assertThatThrownBy(byName::resolveStreamId).isInstanceOf(StreamNotFoundException.class)
                    .hasMessageContaining("'client-missing'").hasMessageContaining("source/stream.name");
            assertThatThrownBy(byArn::resolveStreamId).isInstanceOf(StreamNotFoundException.class)
                    .hasMessageContaining(arn).hasMessageContaining("source/stream.arn");
            assertThatThrownBy(() -> byArn.listShards(arn)).isInstanceOf(StreamNotFoundException.class);
        }
    }

    @Test
    void listsEveryShardAcrossPages() {
        String arn = createStream("client-paging", 5);
        assertThat(KINESIS.server().client().listShards(b -> b.streamARN(arn).maxResults(2)).nextToken())
                .as("the emulator pages ListShards").isNotNull();
        try (KinesisShardClient client = new KinesisShardClient(arn, aws, 2)) {
            List<ShardInfo> shards = client.listShards(arn);
            assertThat(shards).extracting(ShardInfo::shardId).doesNotHaveDuplicates().containsExactly(
                    "shardId-000000000000", "shardId-000000000001", "shardId-000000000002",
                    "shardId-000000000003", "shardId-000000000004");
            assertThat(shards).noneMatch(ShardInfo::closed);
            assertThat(shards).allMatch(s -> s.parentShardId() == null && s.adjacentParentShardId() == null);
        }
    }

    @Test
    void splitAndMergeShowParentsAdjacentParentsAndClosedShards() {
        String arn = createStream("client-reshard", 2);
        KinesisClient kinesis = KINESIS.server().client();
        String upper = split(arn, "shardId-000000000000");
        kinesis.mergeShards(b -> b.streamARN(arn).shardToMerge(upper).adjacentShardToMerge("shardId-000000000001"));
        KINESIS.server().waiter().waitUntilStreamExists(b -> b.streamARN(arn));

        try (KinesisShardClient client = new KinesisShardClient(arn, aws, 2)) {
            Map<String, ShardInfo> shards = client.listShards(arn).stream()
                    .collect(Collectors.toMap(ShardInfo::shardId, Function.identity()));
            assertThat(shards).hasSize(5);
            ShardInfo lower = shards.values().stream()
                    .filter(s -> "shardId-000000000000".equals(s.parentShardId()) && !s.shardId().equals(upper))
                    .findFirst().orElseThrow();
            ShardInfo merged = shards.values().stream().filter(s -> s.adjacentParentShardId() != null)
                    .findFirst().orElseThrow();
            assertThat(shards.get("shardId-000000000000").closed()).as("split parent closed").isTrue();
            assertThat(shards.get("shardId-000000000001").closed()).as("merged-away root closed").isTrue();
            assertThat(shards.get(upper).closed()).as("merged-away child closed").isTrue();
            assertThat(shards.get(upper).parentShardId()).isEqualTo("shardId-000000000000");
            assertThat(lower.closed()).as("the other split child stays open").isFalse();
            assertThat(merged.closed()).isFalse();
            assertThat(List.of(merged.parentShardId(), merged.adjacentParentShardId()))
                    .containsExactlyInAnyOrder(upper, "shardId-000000000001");
        }
    }

    @Test
    void readsFromEveryStartingPosition() throws Exception {
        String arn = createStream("client-positions", 1);
        String shard = "shardId-000000000000";
        try (KinesisShardClient client = new KinesisShardClient(arn, aws)) {
            List<String> firstSequenceNumbers = put(arn, "a", 3);
            String latest = client.getShardIterator(arn, shard, StartingPosition.latest());
            Thread.sleep(50);
            long between = System.currentTimeMillis();
            Thread.sleep(50);
            put(arn, "b", 2);

            assertThat(readAll(client, arn, shard, StartingPosition.trimHorizon()))
                    .containsExactly("a-0", "a-1", "a-2", "b-0", "b-1");
            assertThat(readFrom(client, latest)).containsExactly("b-0", "b-1");
            assertThat(readAll(client, arn, shard, StartingPosition.afterSequenceNumber(firstSequenceNumbers.get(1))))
                    .containsExactly("a-2", "b-0", "b-1");
            assertThat(readAll(client, arn, shard, StartingPosition.atTimestamp(between)))
                    .containsExactly("b-0", "b-1");
        }
    }

    @Test
    void aSplitParentsReadEndsAfterItsLastRecordAndReportsItsLag() {
        String arn = createStream("client-ends", 1);
        String parent = "shardId-000000000000";
        put(arn, "before", 3);
        split(arn, parent);
        put(arn, "after", 2);
        try (KinesisShardClient client = new KinesisShardClient(arn, aws)) {
            String iterator = client.getShardIterator(arn, parent, StartingPosition.trimHorizon());
            List<String> values = new ArrayList<>();
            RecordBatch<Record> batch;
            int calls = 0;
            do {
                batch = client.getRecords(iterator, 2);
                assertThat(batch.millisBehindLatest()).as("MillisBehindLatest from the service").isNotNull();
                batch.records().forEach(r -> values.add(r.data().asUtf8String()));
                iterator = batch.nextIterator();
                calls++;
            } while (!batch.shardEnded() && calls < 20);
            assertThat(batch.shardEnded()).as("the closed parent ends").isTrue();
            assertThat(values).containsExactly("before-0", "before-1", "before-2");
        }
    }

    @Test
    void anUnknownShardIsShardNotFound() {
        String arn = createStream("client-unknown-shard", 1);
        try (KinesisShardClient client = new KinesisShardClient(arn, aws)) {
            assertThatThrownBy(() -> client.getShardIterator(arn, "shardId-000000000099",
                    StartingPosition.trimHorizon())).isInstanceOf(ShardNotFoundException.class)
                    .hasMessageContaining("shardId-000000000099");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static String createStream(String name, int shards) {
        KinesisClient kinesis = KINESIS.server().client();
        kinesis.createStream(b -> b.streamName(name).shardCount(shards));
        KINESIS.server().waiter().waitUntilStreamExists(b -> b.streamName(name));
        return kinesis.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary().streamARN();
    }

    /** Splits the shard at the middle of its hash key range; returns the upper child's id. */
    private static String split(String arn, String shardId) {
        KinesisClient kinesis = KINESIS.server().client();
        var shard = kinesis.listShards(b -> b.streamARN(arn)).shards().stream()
                .filter(s -> s.shardId().equals(shardId)).findFirst().orElseThrow();
        BigInteger low = new BigInteger(shard.hashKeyRange().startingHashKey());
        BigInteger high = new BigInteger(shard.hashKeyRange().endingHashKey());
        String middle = low.add(high.subtract(low).shiftRight(1)).add(BigInteger.ONE).toString();
        kinesis.splitShard(b -> b.streamARN(arn).shardToSplit(shardId).newStartingHashKey(middle));
        KINESIS.server().waiter().waitUntilStreamExists(b -> b.streamARN(arn));
        return kinesis.listShards(b -> b.streamARN(arn)).shards().stream()
                .filter(s -> shardId.equals(s.parentShardId()) && s.hashKeyRange().startingHashKey().equals(middle))
                .findFirst().orElseThrow().shardId();
    }

    private static List<String> put(String arn, String prefix, int count) {
        List<String> sequenceNumbers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String value = prefix + "-" + i;
            sequenceNumbers.add(KINESIS.server().client().putRecord(b -> b.streamARN(arn).partitionKey(value)
                    .data(SdkBytes.fromUtf8String(value))).sequenceNumber());
        }
        return sequenceNumbers;
    }

    private static List<String> readAll(KinesisShardClient client, String arn, String shard, StartingPosition from) {
        return readFrom(client, client.getShardIterator(arn, shard, from));
    }

    /** Reads an open shard until an empty page. */
    private static List<String> readFrom(KinesisShardClient client, String iterator) {
        List<String> values = new ArrayList<>();
        for (int calls = 0; iterator != null && calls < 20; calls++) {
            RecordBatch<Record> batch = client.getRecords(iterator, 1_000);
            batch.records().forEach(r -> values.add(r.data().asUtf8String()));
            if (batch.records().isEmpty()) {
                break;
            }
            iterator = batch.nextIterator();
        }
        return values;
    }
}
