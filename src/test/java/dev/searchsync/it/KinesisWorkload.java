package dev.searchsync.it;

import dev.searchsync.testbed.KinesisEmulator;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.PutRecordResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kinesis stream on the test bed's emulator that a test writes to and reshards while the job reads it: two root
 * shards, then a split of the first, then a merge of the split's upper child with the second root, as in
 * {@code KinesisEmulatorIT}.
 */
final class KinesisWorkload {
    private final KinesisEmulator emulator;
    private final KinesisClient kinesis;
    final String streamName;
    final String streamArn;

    KinesisWorkload(KinesisEmulator emulator, String streamName) {
        this.emulator = emulator;
        this.kinesis = emulator.client();
        this.streamName = streamName;
        kinesis.createStream(b -> b.streamName(streamName).shardCount(2));
        emulator.waiter().waitUntilStreamExists(b -> b.streamName(streamName));
        this.streamArn = kinesis.describeStreamSummary(b -> b.streamName(streamName)).streamDescriptionSummary()
                .streamARN();
    }

    /** The record as the stream took it: where it went. */
    PutRecordResponse put(String partitionKey, byte[] data) {
        return kinesis.putRecord(b -> b.streamARN(streamArn).partitionKey(partitionKey)
                .data(SdkBytes.fromByteArray(data)));
    }

    /** Splits the first root shard at the middle of its hash key range; returns the upper child's id. */
    String splitFirstRoot() {
        Shard first = shards().get(0);
        BigInteger low = new BigInteger(first.hashKeyRange().startingHashKey());
        BigInteger high = new BigInteger(first.hashKeyRange().endingHashKey());
        String middle = low.add(high.subtract(low).shiftRight(1)).add(BigInteger.ONE).toString();
        kinesis.splitShard(b -> b.streamARN(streamArn).shardToSplit(first.shardId()).newStartingHashKey(middle));
        emulator.waiter().waitUntilStreamExists(b -> b.streamARN(streamArn));
        return shards().stream()
                .filter(s -> first.shardId().equals(s.parentShardId())
                        && s.hashKeyRange().startingHashKey().equals(middle))
                .findFirst().orElseThrow().shardId();
    }

    /** Merges {@code upperChild} (of {@link #splitFirstRoot}) with the second root, its neighbour. */
    void mergeWithSecondRoot(String upperChild) {
        String second = shards().get(1).shardId();
        kinesis.mergeShards(b -> b.streamARN(streamArn).shardToMerge(upperChild).adjacentShardToMerge(second));
        emulator.waiter().waitUntilStreamExists(b -> b.streamARN(streamArn));
    }

    List<Shard> shards() {
        List<Shard> shards = new ArrayList<>();
        String next = null;
        do {
            String token = next;
            var page = token == null ? kinesis.listShards(b -> b.streamARN(streamArn))
                    : kinesis.listShards(b -> b.nextToken(token));
            shards.addAll(page.shards());
            next = page.nextToken();
        } while (next != null);
        return shards;
    }
}
