package dev.searchsync.it;

import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.DynamoDbJson;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys a change by the workload table's partition key. */
public class KeyOf implements KeySelector<ChangeRecord, String> {
    @Override
    public String getKey(ChangeRecord change) {
        return key(change);
    }

    static String key(ChangeRecord change) {
        return DynamoDbJson.read(change.getKeys()).get(OrderedWorkload.HASH_KEY).s();
    }
}
