package dev.searchsync.it;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.HashMap;
import java.util.Map;

/**
 * Items of a (pk, sk) table for the strict e2e-test mapping, optionally with a field {@code surprise} the mapping does
 * not know until a test adds it: OpenSearch refuses those until then, which makes them dead letters to redrive.
 */
final class StrictMappingItems {
    private StrictMappingItems() {}

    /** The key of item {@code i}: partition {@code p}, sort {@code s<i>}, document id {@code p|s<i>}. */
    static Map<String, AttributeValue> key(int i) {
        return Map.of(TypedWorkload.HASH_KEY, AttributeValue.fromS("p"), TypedWorkload.RANGE_KEY,
                AttributeValue.fromS("s" + i));
    }

    /** Item {@code i} with a name, a count and, unless null, the unmapped field {@code surprise}. */
    static Map<String, AttributeValue> item(int i, String name, String surprise) {
        Map<String, AttributeValue> item = new HashMap<>(key(i));
        item.put("name", AttributeValue.fromS(name));
        item.put("count", AttributeValue.fromN(Integer.toString(i)));
        if (surprise != null) {
            item.put("surprise", AttributeValue.fromS(surprise));
        }
        return item;
    }
}
