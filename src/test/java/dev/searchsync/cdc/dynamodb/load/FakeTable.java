package dev.searchsync.cdc.dynamodb.load;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-JVM table for the load's unit tests: items by a string partition key {@code pk}, each segment the keys whose
 * hash falls in it, pages in key order, as DynamoDB's parallel Scan pages a segment. Tests reach it by name, as a
 * job's serialized factory must.
 */
final class FakeTable implements TableScanner {
    private static final Map<String, FakeTable> TABLES = new ConcurrentHashMap<>();

    private final NavigableMap<String, Map<String, AttributeValue>> items = new ConcurrentSkipListMap<>();
    final AtomicInteger scans = new AtomicInteger();

    static FakeTable create(String name, int itemCount) {
        FakeTable table = new FakeTable();
        for (int i = 0; i < itemCount; i++) {
            String key = String.format("item-%05d", i);
            table.items.put(key, Map.of("pk", AttributeValue.fromS(key), "n", AttributeValue.fromN(String.valueOf(i))));
        }
        TABLES.put(name, table);
        return table;
    }

    /** A serializable factory of the table called {@code name}. */
    static TableScanner.Factory factory(String name) {
        return () -> TABLES.get(name);
    }

    @Override
    public Page scan(int segment, int totalSegments, Map<String, AttributeValue> exclusiveStartKey, int limit) {
        scans.incrementAndGet();
        List<Map<String, AttributeValue>> page = new ArrayList<>();
        NavigableMap<String, Map<String, AttributeValue>> after = exclusiveStartKey == null ? items
                : items.tailMap(exclusiveStartKey.get("pk").s(), false);
        String last = null;
        boolean more = false;
        for (Map.Entry<String, Map<String, AttributeValue>> item : after.entrySet()) {
            if (Math.floorMod(item.getKey().hashCode(), totalSegments) != segment) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(item.getValue());
            last = item.getKey();
        }
        return new Page(page, more ? Map.of("pk", AttributeValue.fromS(last)) : null, page.size() * 0.5);
    }

    @Override
    public Table describe() {
        return new Table(List.of("pk"), items.size());
    }

    @Override
    public void close() {}
}
