package dev.searchsync.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardFilterType;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

/**
 * The Kinesis emulator reshards like AWS, through the AWS SDK v2 the job uses: a 2-shard stream, a split and a merge
 * while records keep coming; reading every shard with parents before children gives every record once, and each
 * partition key's records in the order they were put.
 */
class KinesisEmulatorIT {

    @RegisterExtension
    static final KinesisEmulatorExtension KINESIS = new KinesisEmulatorExtension();

    private static final int KEYS = 20;

    private final Map<String, Integer> putPerKey = new LinkedHashMap<>();
    /** Which phase of the test (0 before the split, 1 between split and merge, 2 after) each shard took records in. */
    private final Map<String, Set<Integer>> phasesPerShard = new LinkedHashMap<>();
    private final Map<String, Integer> putPerShard = new LinkedHashMap<>();

    @Test
    void splitAndMergeKeepEveryRecordOnceAndInOrderPerKey() {
        KinesisClient kinesis = KINESIS.server().client();
        String stream = "reshard-smoke";
        kinesis.createStream(b -> b.streamName(stream).shardCount(2));
        KINESIS.server().waiter().waitUntilStreamExists(b -> b.streamName(stream));
        String streamArn = kinesis.describeStreamSummary(b -> b.streamName(stream)).streamDescriptionSummary()
                .streamARN();

        put(kinesis, streamArn, 100, 0);
        List<Shard> roots = listShards(kinesis, streamArn);
        assertThat(roots).hasSize(2);
        Shard first = roots.get(0);
        Shard second = roots.get(1);

        // Split the first shard at the middle of its hash key range.
        BigInteger low = new BigInteger(first.hashKeyRange().startingHashKey());
        BigInteger high = new BigInteger(first.hashKeyRange().endingHashKey());
        String middle = low.add(high.subtract(low).shiftRight(1)).add(BigInteger.ONE).toString();
        kinesis.splitShard(b -> b.streamARN(streamArn).shardToSplit(first.shardId()).newStartingHashKey(middle));
        KINESIS.server().waiter().waitUntilStreamExists(b -> b.streamARN(streamArn));
        put(kinesis, streamArn, 100, 1);

        // Merge the split's upper child with the second root, its neighbour in hash key order.
        Shard upperChild = listShards(kinesis, streamArn).stream()
                .filter(s -> first.shardId().equals(s.parentShardId()) && s.hashKeyRange().startingHashKey().equals(middle))
                .findFirst().orElseThrow();
        kinesis.mergeShards(b -> b.streamARN(streamArn).shardToMerge(upperChild.shardId())
                .adjacentShardToMerge(second.shardId()));
        KINESIS.server().waiter().waitUntilStreamExists(b -> b.streamARN(streamArn));
        put(kinesis, streamArn, 100, 2);

        List<Shard> shards = listShards(kinesis, streamArn);
        assertThat(shards).hasSize(5);
        Shard merged = shards.stream().filter(s -> s.adjacentParentShardId() != null).findFirst().orElseThrow();
        assertThat(Set.of(merged.parentShardId(), merged.adjacentParentShardId()))
                .containsExactlyInAnyOrder(upperChild.shardId(), second.shardId());
        List<String> open = kinesis.listShards(b -> b.streamARN(streamArn)
                .shardFilter(f -> f.type(ShardFilterType.AT_LATEST))).shards().stream()
                .map(Shard::shardId).collect(Collectors.toList());
        assertThat(open).as("open shards (ShardFilter AT_LATEST)").hasSize(2).contains(merged.shardId());

        Map<String, List<Integer>> readPerKey = new LinkedHashMap<>();
        Map<String, Integer> readPerShard = new LinkedHashMap<>();
        Set<String> finished = new HashSet<>();
        while (finished.size() < shards.size()) {
            for (Shard shard : shards) {
                boolean ready = !finished.contains(shard.shardId())
                        && (shard.parentShardId() == null || finished.contains(shard.parentShardId()))
                        && (shard.adjacentParentShardId() == null || finished.contains(shard.adjacentParentShardId()));
                if (ready) {
                    readPerShard.put(shard.shardId(), readShard(kinesis, streamArn, shard, readPerKey));
                    finished.add(shard.shardId());
                }
            }
        }

        assertThat(readPerShard.values().stream().mapToInt(Integer::intValue).sum()).as("records read").isEqualTo(300);
        readPerShard.forEach((shard, count) -> assertThat(count).as("records read from %s", shard)
                .isEqualTo(putPerShard.getOrDefault(shard, 0)));
        assertThat(phasesPerShard.get(first.shardId())).as("the split parent took records only before the split")
                .containsExactly(0);
        assertThat(phasesPerShard.get(upperChild.shardId())).as("the merged-away child, only between")
                .containsExactly(1);
        assertThat(phasesPerShard.get(second.shardId())).as("the merged-away root, only before the merge")
                .containsExactlyInAnyOrder(0, 1);
        assertThat(phasesPerShard.get(merged.shardId())).as("the merged shard, only after the merge")
                .containsExactly(2);
        putPerKey.forEach((key, count) -> {
            List<Integer> expected = new ArrayList<>();
            for (int n = 1; n <= count; n++) {
                expected.add(n);
            }
            assertThat(readPerKey.get(key)).as("records of %s, once each and in order", key).isEqualTo(expected);
        });
    }

    /** Puts records "key:n:phase", n counting each key's records from 1; remembers the shard each landed in. */
    private void put(KinesisClient kinesis, String streamArn, int records, int phase) {
        for (int i = 0; i < records; i++) {
            String key = "key-" + (i % KEYS);
            int n = putPerKey.merge(key, 1, Integer::sum);
            String shard = kinesis.putRecord(b -> b.streamARN(streamArn).partitionKey(key)
                    .data(SdkBytes.fromUtf8String(key + ":" + n + ":" + phase))).shardId();
            phasesPerShard.computeIfAbsent(shard, s -> new TreeSet<>()).add(phase);
            putPerShard.merge(shard, 1, Integer::sum);
        }
    }

    /**
     * Reads one shard from its start: a closed shard until NextShardIterator is null (its last answer names its
     * children), an open one until an empty page; returns how many records it held.
     */
    private static int readShard(KinesisClient kinesis, String streamArn, Shard shard,
            Map<String, List<Integer>> readPerKey) {
        boolean closed = shard.sequenceNumberRange().endingSequenceNumber() != null;
        String iterator = kinesis.getShardIterator(b -> b.streamARN(streamArn).shardId(shard.shardId())
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        int count = 0;
        while (iterator != null) {
            String current = iterator;
            GetRecordsResponse page = kinesis.getRecords(b -> b.streamARN(streamArn).shardIterator(current));
            page.records().forEach(record -> {
                String[] parts = record.data().asUtf8String().split(":");
                assertThat(record.partitionKey()).isEqualTo(parts[0]);
                readPerKey.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
            });
            count += page.records().size();
            if (page.nextShardIterator() == null) {
                assertThat(closed).as("only a closed shard ends").isTrue();
                assertThat(page.childShards()).as("the end of %s names its children", shard.shardId()).isNotEmpty();
            } else if (page.records().isEmpty() && !closed) {
                break;
            }
            iterator = page.nextShardIterator();
        }
        return count;
    }

    private static List<Shard> listShards(KinesisClient kinesis, String streamArn) {
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
