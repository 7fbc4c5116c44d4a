package dev.searchsync.source.kinesis;

import dev.searchsync.source.client.RecordBatch;
import dev.searchsync.source.client.ShardInfo;
import dev.searchsync.source.client.ShardIteratorExpiredException;
import dev.searchsync.source.client.ShardNotFoundException;
import dev.searchsync.source.client.ShardThrottledException;
import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.StartingPosition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.ExpiredIteratorException;
import software.amazon.awssdk.services.kinesis.model.GetRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.GetShardIteratorResponse;
import software.amazon.awssdk.services.kinesis.model.InvalidArgumentException;
import software.amazon.awssdk.services.kinesis.model.KmsThrottlingException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ListShardsRequest;
import software.amazon.awssdk.services.kinesis.model.ListShardsResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.time.Instant;
import java.util.List;

/**
 * The error mapping and paging rules the emulator cannot show (kinesis-local never throttles, never expires an
 * iterator, has no KMS), on a scripted {@link FakeKinesis}; KinesisShardClientIT covers the rest against the emulator.
 */
class KinesisShardClientTest {
    private static final String ARN = "arn:aws:kinesis:us-east-1:123456789012:stream/orders";

    private final FakeKinesis fake = new FakeKinesis();
    private final KinesisShardClient client = new KinesisShardClient(ARN, fake, 2);

    @Test
    void expiredIteratorAsksForANewOne() {
        fake.answer(ExpiredIteratorException.builder().message("Iterator expired").build());
        assertThatThrownBy(() -> client.getRecords("it", 100)).isInstanceOf(ShardIteratorExpiredException.class)
                .hasCauseInstanceOf(ExpiredIteratorException.class);
    }

    @Test
    void everyKindOfThrottlingBacksTheShardOff() {
        fake.answer(ProvisionedThroughputExceededException.builder().message("rate").build(),
                LimitExceededException.builder().message("limit").build(),
                KmsThrottlingException.builder().message("kms").build(),
                FakeKinesis.error("ThrottlingException", 400),
                FakeKinesis.error("SlowDown", 503));
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> client.getRecords("it", 100)).as("answer %d", i)
                    .isInstanceOf(ShardThrottledException.class);
        }
    }

    @Test
    void throttledGetShardIteratorBacksTheShardOffToo() {
        fake.answer(ProvisionedThroughputExceededException.builder().message("5 a second").build());
        assertThatThrownBy(() -> client.getShardIterator(ARN, "shardId-000000000000", StartingPosition.trimHorizon()))
                .isInstanceOf(ShardThrottledException.class);
    }

    @Test
    void unknownShardOrStreamOnReadIsShardNotFound() {
        fake.answer(ResourceNotFoundException.builder().message("gone").build(),
                ResourceNotFoundException.builder().message("gone").build());
        assertThatThrownBy(() -> client.getRecords("it", 100)).isInstanceOf(ShardNotFoundException.class);
        assertThatThrownBy(() -> client.getShardIterator(ARN, "shardId-000000000009", StartingPosition.latest()))
                .isInstanceOf(ShardNotFoundException.class).hasMessageContaining("shardId-000000000009");
    }

    @Test
    void invalidArgumentIsNotTakenForTrimmedData() {
        // Kinesis answers a sequence number of another shard with this, and reportedly also one that aged out:
        // the two cannot be told apart, so the job stops instead of guessing (see KinesisShardClient).
        InvalidArgumentException invalid = InvalidArgumentException.builder()
                .message("Invalid StartingSequenceNumber. It encodes shardId-000000000007").build();
        fake.answer(invalid);
        assertThatThrownBy(() -> client.getShardIterator(ARN, "shardId-000000000000",
                StartingPosition.afterSequenceNumber("49590338271490256608559692538361571095921575989136588898")))
                .isSameAs(invalid);
    }

    @Test
    void readsPassTheStreamArnTheLimitCappedAtTenThousandAndTheServicesLag() {
        fake.answer(GetShardIteratorResponse.builder().shardIterator("it-1").build(),
                GetRecordsResponse.builder().records(List.of()).nextShardIterator("it-2").millisBehindLatest(1234L)
                        .build(),
                GetRecordsResponse.builder().records(List.of()).millisBehindLatest(0L).build());
        client.getShardIterator(ARN, "shardId-000000000000", StartingPosition.atTimestamp(1_700_000_000_123L));
        RecordBatch<Record> first = client.getRecords("it-1", 50_000);
        RecordBatch<Record> last = client.getRecords("it-2", 10);

        assertThat(first.millisBehindLatest()).isEqualTo(1234L);
        assertThat(first.shardEnded()).isFalse();
        assertThat(last.shardEnded()).as("no NextShardIterator: a closed shard read to its end").isTrue();
        GetRecordsRequest read = (GetRecordsRequest) fake.requests.get(1);
        assertThat(read.streamARN()).isEqualTo(ARN);
        assertThat(read.limit()).isEqualTo(10_000);
        assertThat(fake.requests.get(0).toString()).contains("AT_TIMESTAMP")
                .contains(Instant.ofEpochMilli(1_700_000_000_123L).toString());
    }

    @Test
    void listingPagesWithTheTokenAloneAndRetriesLimitExceeded() {
        fake.answer(ListShardsResponse.builder().shards(shard("shardId-000000000000", null, null, "9"),
                        shard("shardId-000000000001", null, null, null)).nextToken("page-2").build(),
                LimitExceededException.builder().message("too many").build(),
                ListShardsResponse.builder().shards(shard("shardId-000000000002", "shardId-000000000000",
                        "shardId-000000000001", null)).build());

        List<ShardInfo> shards = client.listShards(ARN);

        assertThat(shards).containsExactly(
                new ShardInfo("shardId-000000000000", null, null, true),
                new ShardInfo("shardId-000000000001", null, null, false),
                new ShardInfo("shardId-000000000002", "shardId-000000000000", "shardId-000000000001", false));
        ListShardsRequest first = (ListShardsRequest) fake.requests.get(0);
        ListShardsRequest second = (ListShardsRequest) fake.requests.get(2);
        assertThat(first.streamARN()).isEqualTo(ARN);
        assertThat(first.maxResults()).isEqualTo(2);
        assertThat(second.nextToken()).isEqualTo("page-2");
        assertThat(second.streamARN()).as("with a NextToken the stream must not be named").isNull();
        assertThat(second.streamName()).isNull();
        assertThat(fake.requests).hasSize(3);
    }

    @Test
    void keepsToFiveGetRecordsASecondPerShard() {
        assertThat(client.minPollSpacingMillis()).isEqualTo(200L);
    }

    @Test
    void aMalformedArnIsRefusedNamingTheExpectedForm() {
        assertThatThrownBy(() -> new KinesisShardClient("arn:aws:dynamodb:us-east-1:123456789012:table/t", fake, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("stream/<name>");
    }

    @Test
    void converterCopiesPayloadAndLineageIntoAPojo() {
        Record record = Record.builder().sequenceNumber("4959").partitionKey("k-1")
                .approximateArrivalTimestamp(Instant.ofEpochMilli(1_700_000_000_456L))
                .data(SdkBytes.fromUtf8String("payload")).build();
        ShardSplit split = new ShardSplit(ARN, "shardId-000000000002", "shardId-000000000000",
                "shardId-000000000001", StartingPosition.trimHorizon(), false);

        KinesisRecord out = new KinesisRecordConverter().convert(record, split);

        assertThat(out.getStream()).isEqualTo(ARN);
        assertThat(out.getShardId()).isEqualTo("shardId-000000000002");
        assertThat(out.getParentShardId()).isEqualTo("shardId-000000000000");
        assertThat(out.getAdjacentParentShardId()).isEqualTo("shardId-000000000001");
        assertThat(out.getSequenceNumber()).isEqualTo("4959");
        assertThat(out.getPartitionKey()).isEqualTo("k-1");
        assertThat(out.getApproximateArrivalMillis()).isEqualTo(1_700_000_000_456L);
        assertThat(new String(out.getData(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("payload");
        assertThat(out.getRedriveAttempt()).isZero();
        assertThat(out.toString()).contains("7 bytes").doesNotContain("payload");
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(KinesisRecord.class);
    }

    private static Shard shard(String id, String parent, String adjacentParent, String endingSequenceNumber) {
        return Shard.builder().shardId(id).parentShardId(parent).adjacentParentShardId(adjacentParent)
                .sequenceNumberRange(r -> r.startingSequenceNumber("1").endingSequenceNumber(endingSequenceNumber))
                .build();
    }
}
