package dev.searchsync.bench;

import dev.searchsync.cdc.dynamodb.DocumentIds;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.it.TypedWorkload;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A table's change history generated in memory (what its stream would hold) and the table it leaves, so a benchmark
 * can feed the job far more changes than moto can take and still check the index against the final items.
 */
final class GeneratedChanges {
    static final KeySchema SCHEMA = KeySchema.of(TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
    /** DynamoDB-like: decimal, more digits than a long holds. */
    private static final BigInteger FIRST_SEQUENCE_NUMBER = new BigInteger("100000000000000000000");

    /** One change: its place in the whole history, its shard, and the images a NEW_AND_OLD_IMAGES stream holds. */
    record Change(int ordinal, int shard, String eventName, Map<String, AttributeValue> keys,
            Map<String, AttributeValue> oldImage, Map<String, AttributeValue> newImage, String sequenceNumber) {
        String documentId() {
            return DocumentIds.of(keys, SCHEMA);
        }
    }

    private final int shards;
    private final int keys;
    private final List<Change> changes = new ArrayList<>();
    private final Map<Integer, Map<String, AttributeValue>> table = new HashMap<>();
    private int inserts;
    private int modifies;
    private int removes;

    /**
     * {@code changes} changes over {@code keys} keys: {@code hotChangePercent}% of them hit the first
     * {@code hotKeyPercent}% of the keys (0 and 0 for a uniform spread).
     */
    GeneratedChanges(int changes, int keys, int shards, long seed, int hotKeyPercent, int hotChangePercent) {
        this.shards = shards;
        this.keys = keys;
        Random random = new Random(seed);
        int hotKeys = keys * hotKeyPercent / 100;
        for (int ordinal = 0; ordinal < changes; ordinal++) {
            int key = hotKeys > 0 && random.nextInt(100) < hotChangePercent
                    ? random.nextInt(hotKeys)
                    : hotKeys + random.nextInt(keys - hotKeys);
            next(ordinal, key, random);
        }
    }

    static GeneratedChanges uniform(int changes, int keys, int shards, long seed) {
        return new GeneratedChanges(changes, keys, shards, seed, 0, 0);
    }

    /** The mix of {@link TypedWorkload#write}: inserts of absent keys, half full puts, a quarter partial updates, a quarter deletes. */
    private void next(int ordinal, int key, Random random) {
        Map<String, AttributeValue> old = table.get(key);
        Map<String, AttributeValue> next;
        String eventName;
        int roll = random.nextInt(100);
        if (old == null) {
            next = named(TypedWorkload.item(key, random), "item " + key, ordinal);
            eventName = "INSERT";
            inserts++;
        } else if (roll < 50) {
            next = named(TypedWorkload.item(key, random), "item " + key, ordinal);
            eventName = "MODIFY";
            modifies++;
        } else if (roll < 75) {
            next = new HashMap<>(old);
            if (random.nextBoolean()) {
                next.put("count", AttributeValue.fromN(new BigDecimal(old.get("count").n()).add(BigDecimal.ONE)
                        .toPlainString()));
            } else {
                next.remove("tags");
            }
            next = named(next, "updated", ordinal);
            eventName = "MODIFY";
            modifies++;
        } else {
            next = null;
            eventName = "REMOVE";
            removes++;
        }
        if (next == null) {
            table.remove(key);
        } else {
            table.put(key, next);
        }
        // Every key stays in one shard, in order, as DynamoDB keeps a partition's changes.
        int shard = Math.floorMod(Integer.hashCode(key * 0x9E3779B1), shards);
        changes.add(new Change(ordinal, shard, eventName, TypedWorkload.key(key), old, next,
                FIRST_SEQUENCE_NUMBER.add(BigInteger.valueOf(ordinal)).toString()));
    }

    /**
     * Every write names its change ({@code #ordinal}), so that a reader of the index can tell which change of the
     * key it sees, whatever else the change left as it was.
     */
    private static Map<String, AttributeValue> named(Map<String, AttributeValue> item, String prefix, int ordinal) {
        item.put("name", AttributeValue.fromS(prefix + " \"quoted\" ünï #" + ordinal));
        return item;
    }

    /** The change a document's {@code name} says it comes from. */
    static int ordinalOfName(String name) {
        return Integer.parseInt(name.substring(name.lastIndexOf('#') + 1));
    }

    List<Change> changes() {
        return changes;
    }

    int shards() {
        return shards;
    }

    int keys() {
        return keys;
    }

    /** The items left after every change: what the index must hold. */
    List<Map<String, AttributeValue>> finalItems() {
        return new ArrayList<>(table.values());
    }

    String mix() {
        return String.format("%,d inserts, %,d modifies, %,d removes; %,d keys, %,d live at the end", inserts,
                modifies, removes, keys, table.size());
    }
}
