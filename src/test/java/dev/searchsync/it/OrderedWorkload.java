package dev.searchsync.it;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * Writes a reproducible mix of inserts, updates and deletes over many keys, numbering each key's changes
 * 1, 2, 3, ... so a reader can check that every change arrived once and in order. Writes go out in batches
 * ({@link BatchWriter}), from one thread, as each stream-enabled table on moto must be written.
 */
public final class OrderedWorkload {
    static final String HASH_KEY = "pk";
    static final String COUNTER = "n";

    private final BatchWriter writer;
    private final int keys;
    private final Random random;
    private final Map<String, Long> counters = new HashMap<>();
    private final Map<String, Boolean> present = new HashMap<>();
    private int written;

    public OrderedWorkload(DynamoDbClient client, String table, int keys, long seed) {
        this.writer = new BatchWriter(client, table);
        this.keys = keys;
        this.random = new Random(seed);
    }

    /** Writes {@code changes} changes; all of them are in the table when it returns. */
    public void write(int changes) {
        for (int i = 0; i < changes; i++) {
            String key = String.format("k%05d", random.nextInt(keys));
            long next = counters.merge(key, 1L, Long::sum);
            Map<String, AttributeValue> keyMap = Map.of(HASH_KEY, AttributeValue.fromS(key));
            boolean exists = present.getOrDefault(key, false);
            if (exists && random.nextInt(100) < 25) {
                writer.delete(keyMap);
                present.put(key, false);
            } else {
                writer.put(keyMap, Map.of(
                        HASH_KEY, AttributeValue.fromS(key),
                        COUNTER, AttributeValue.fromN(Long.toString(next)),
                        "payload", AttributeValue.fromS("change " + next + " of " + key)));
                present.put(key, true);
            }
            written++;
        }
        writer.flush();
    }

    public int written() {
        return written;
    }

    /** How many changes each key received. */
    public Map<String, Long> changesPerKey() {
        return Map.copyOf(counters);
    }
}
