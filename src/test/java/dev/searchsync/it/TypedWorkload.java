package dev.searchsync.it;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A reproducible workload over a table keyed by (pk, sk) whose items use every DynamoDB attribute type: full
 * puts, partial UpdateItem calls, deletes and re-inserts of deleted keys. Puts and deletes go out in batches
 * ({@link BatchWriter}), updates one by one after any pending write of the same item, all from one thread.
 */
public final class TypedWorkload {
    public static final String HASH_KEY = "pk";
    public static final String RANGE_KEY = "sk";

    private final DynamoDbClient client;
    private final String table;
    private final BatchWriter writer;
    private final int keys;
    private final Random random;
    private final Set<Integer> present = new HashSet<>();
    private final Set<Integer> everDeleted = new HashSet<>();
    private final Set<Integer> touched = new HashSet<>();
    private int written;
    private int reinserts;

    public TypedWorkload(DynamoDbClient client, String table, int keys, long seed) {
        this.client = client;
        this.table = table;
        this.writer = new BatchWriter(client, table);
        this.keys = keys;
        this.random = new Random(seed);
    }

    /** Writes {@code changes} changes; all of them are in the table when it returns. */
    public void write(int changes) {
        for (int i = 0; i < changes; i++) {
            int key = random.nextInt(keys);
            touched.add(key);
            int roll = random.nextInt(100);
            if (!present.contains(key)) {
                if (everDeleted.contains(key)) {
                    reinserts++;
                }
                put(key);
            } else if (roll < 50) {
                put(key);
            } else if (roll < 75) {
                update(key);
            } else {
                writer.delete(key(key));
                present.remove(key);
                everDeleted.add(key);
            }
            written++;
        }
        writer.flush();
    }

    /**
     * Puts keys {@code 0..items-1} once each; all in the table when it returns. Every 50th item has every attribute
     * type, the others a name, a count and one attribute whose type goes round all ten: a table of every type that
     * moto can still scan at ~700 items/s (it copies each item it returns; a full item costs it four times more).
     */
    public void fill(int items) {
        for (int key = 0; key < items; key++) {
            touched.add(key);
            if (key % 50 == 0) {
                put(key);
            } else {
                putLight(key);
            }
            written++;
        }
        writer.flush();
    }

    /** Name and count (which updates change) and one attribute of the type {@code key % 10} picks. */
    private void putLight(int key) {
        Map<String, AttributeValue> item = new HashMap<>(key(key));
        item.put("name", AttributeValue.fromS("item " + key));
        item.put("count", AttributeValue.fromN(Integer.toString(random.nextInt(1_000_000) - 500_000)));
        switch (key % 10) {
            case 0:
                item.put("big", AttributeValue.fromN(randomDigits(random, 38)));
                break;
            case 1:
                item.put("price", AttributeValue.fromN(
                        new BigDecimal(random.nextInt(100_000)).movePointLeft(2).toPlainString()));
                break;
            case 2:
                byte[] blob = new byte[8];
                random.nextBytes(blob);
                item.put("blob", AttributeValue.fromB(SdkBytes.fromByteArray(blob)));
                break;
            case 3:
                item.put("flag", AttributeValue.fromBool(random.nextBoolean()));
                break;
            case 4:
                item.put("nothing", AttributeValue.fromNul(true));
                break;
            case 5:
                item.put("list", AttributeValue.fromL(List.of(AttributeValue.fromS("x"), AttributeValue.fromN("1.5"))));
                break;
            case 6:
                item.put("attrs", AttributeValue.fromM(Map.of("colour", AttributeValue.fromS("red"))));
                break;
            case 7:
                item.put("tags", AttributeValue.fromSs(List.of("t" + random.nextInt(5), "u")));
                break;
            case 8:
                item.put("scores", AttributeValue.fromNs(List.of("10", "-2.5")));
                break;
            default:
                item.put("blobs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("a" + random.nextInt(50)),
                        SdkBytes.fromUtf8String("b"))));
        }
        writer.put(key(key), item);
        present.add(key);
    }

    private void put(int key) {
        writer.put(key(key), item(key, random));
        present.add(key);
    }

    /**
     * An item with every attribute type (15 attributes with the key), drawn from {@code random}: public so that a
     * benchmark can generate the same items as stream records without writing them to a table.
     */
    public static Map<String, AttributeValue> item(int key, Random random) {
        Map<String, AttributeValue> item = new HashMap<>(key(key));
        item.put("name", AttributeValue.fromS("item " + key + " \"quoted\" ünï " + random.nextInt(1000)));
        item.put("count", AttributeValue.fromN(Integer.toString(random.nextInt(1_000_000) - 500_000)));
        item.put("big", AttributeValue.fromN(randomDigits(random, 38)));
        item.put("price", AttributeValue.fromN(new BigDecimal(random.nextInt(100_000)).movePointLeft(2).toPlainString()));
        item.put("tiny", AttributeValue.fromN("0.000000000000000000001"));
        item.put("flag", AttributeValue.fromBool(random.nextBoolean()));
        item.put("nothing", AttributeValue.fromNul(true));
        byte[] blob = new byte[8];
        random.nextBytes(blob);
        item.put("blob", AttributeValue.fromB(SdkBytes.fromByteArray(blob)));
        item.put("attrs", AttributeValue.fromM(Map.of(
                "colour", AttributeValue.fromS(random.nextBoolean() ? "red" : "blue"),
                "depth", AttributeValue.fromM(Map.of("level", AttributeValue.fromN(Integer.toString(random.nextInt(9))))))));
        item.put("list", AttributeValue.fromL(List.of(AttributeValue.fromS("x"), AttributeValue.fromN("1.5"),
                AttributeValue.fromBool(true), AttributeValue.fromNul(true))));
        item.put("tags", AttributeValue.fromSs(List.of("t" + random.nextInt(5), "u" + random.nextInt(5))));
        item.put("scores", AttributeValue.fromNs(List.of("10", "-2.5", Integer.toString(random.nextInt(100) + 11))));
        item.put("blobs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("a" + random.nextInt(50)),
                SdkBytes.fromUtf8String("b"))));
        return item;
    }

    private void update(int key) {
        writer.flushIfPending(key(key));
        if (random.nextBoolean()) {
            client.updateItem(b -> b.tableName(table).key(key(key))
                    .updateExpression("SET #c = #c + :one, #n = :name")
                    .expressionAttributeNames(Map.of("#c", "count", "#n", "name"))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                            ":name", AttributeValue.fromS("updated " + random.nextInt(1000)))));
        } else {
            client.updateItem(b -> b.tableName(table).key(key(key))
                    .updateExpression("REMOVE #t")
                    .expressionAttributeNames(Map.of("#t", "tags")));
        }
    }

    private static String randomDigits(Random random, int digits) {
        StringBuilder text = new StringBuilder(random.nextBoolean() ? "-" : "");
        text.append(1 + random.nextInt(9));
        for (int i = 1; i < digits; i++) {
            text.append(random.nextInt(10));
        }
        return text.toString();
    }

    /** The key attributes of key number {@code key}. */
    public static Map<String, AttributeValue> key(int key) {
        return Map.of(HASH_KEY, AttributeValue.fromS("p" + (key % 97)), RANGE_KEY, AttributeValue.fromS("s|" + key));
    }

    /** The keys (as key maps) written since the last call, which forgets them. */
    public List<Map<String, AttributeValue>> takeTouchedKeys() {
        List<Map<String, AttributeValue>> keyMaps = new ArrayList<>();
        touched.forEach(k -> keyMaps.add(key(k)));
        touched.clear();
        return keyMaps;
    }

    public int written() {
        return written;
    }

    public int reinserts() {
        return reinserts;
    }

    public int deletedKeys() {
        return everDeleted.size();
    }

    /** Every item of the table now (a full Scan). */
    public List<Map<String, AttributeValue>> scan() {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = client.scan(b -> b.tableName(table).exclusiveStartKey(from));
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }
}
