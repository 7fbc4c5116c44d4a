package dev.searchsync.it;

import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The invariants of the source, checked on what the keyed operator saw. */
final class StreamChecks {
    private StreamChecks() {}

    /** Shard id to its depth in the lineage (root 0, its child 1, ...), read from the stream itself. */
    static Map<String, Integer> lineageDepths(DynamoDbStreamsClient streams, String streamArn) {
        List<Shard> shards = new ArrayList<>();
        String start = null;
        do {
            String from = start;
            var description = streams.describeStream(b -> b.streamArn(streamArn).exclusiveStartShardId(from))
                    .streamDescription();
            shards.addAll(description.shards());
            start = description.lastEvaluatedShardId();
        } while (start != null);
        Map<String, String> parents = new HashMap<>();
        shards.forEach(s -> parents.put(s.shardId(), s.parentShardId()));
        Map<String, Integer> depths = new HashMap<>();
        for (String shard : parents.keySet()) {
            int depth = 0;
            for (String p = parents.get(shard); p != null && parents.containsKey(p); p = parents.get(p)) {
                depth++;
            }
            depths.put(shard, depth);
        }
        return depths;
    }

    /**
     * Every change arrived once; per key the changes came 1, 2, 3, ... in order; and no change from a child shard
     * came before the last change of its parent.
     */
    static void assertExactlyOnceInOrder(
            Map<Integer, List<Observation>> bySubtask, Map<String, Long> changesPerKey, Map<String, Integer> depths) {
        Map<String, List<Observation>> byKey = new LinkedHashMap<>();
        Set<String> keysSeenOnSubtask = new HashSet<>();
        bySubtask.forEach((subtask, observations) -> {
            for (Observation o : observations) {
                byKey.computeIfAbsent(o.key, k -> new ArrayList<>()).add(o);
                keysSeenOnSubtask.add(o.key + "@" + subtask);
            }
        });
        assertThat(keysSeenOnSubtask).as("each key is handled by one subtask").hasSameSizeAs(byKey.keySet());
        assertThat(byKey.keySet()).as("keys with changes").isEqualTo(changesPerKey.keySet());
        List<String> problems = new ArrayList<>();
        byKey.forEach((key, observations) -> {
            long expected = 1;
            int depth = 0;
            for (Observation o : observations) {
                if (o.ordinal != expected) {
                    problems.add(key + ": expected change " + expected + " but got " + o + " in " + observations);
                    return;
                }
                Integer shardDepth = depths.get(o.shardId);
                if (shardDepth == null || shardDepth < depth) {
                    problems.add(key + ": " + o + " from shard depth " + shardDepth + " after depth " + depth);
                    return;
                }
                depth = shardDepth;
                expected++;
            }
            if (expected - 1 != changesPerKey.get(key)) {
                problems.add(key + ": got " + (expected - 1) + " changes, wrote " + changesPerKey.get(key));
            }
        });
        assertThat(problems).as("per-key order and exactly-once violations").isEmpty();
    }
}
