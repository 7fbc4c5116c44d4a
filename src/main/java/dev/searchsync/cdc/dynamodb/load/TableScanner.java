package dev.searchsync.cdc.dynamodb.load;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** The two DynamoDB calls a load makes, behind an interface so a test can serve a table of its own. */
public interface TableScanner extends AutoCloseable {
    /**
     * One page of segment {@code segment} of {@code totalSegments}, strongly consistent, after
     * {@code exclusiveStartKey} (null: from the start), at most {@code limit} items.
     */
    Page scan(int segment, int totalSegments, Map<String, AttributeValue> exclusiveStartKey, int limit);

    /** The table's key attributes and DynamoDB's estimate of its item count (updated about every six hours). */
    Table describe();

    @Override
    void close();

    /** One Scan answer. */
    final class Page {
        final List<Map<String, AttributeValue>> items;
        /** Null when the segment is done. */
        final Map<String, AttributeValue> lastEvaluatedKey;
        /** Read capacity units the call consumed; 0 when the service did not say. */
        final double capacityUnits;

        public Page(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> lastEvaluatedKey,
                double capacityUnits) {
            this.items = List.copyOf(items);
            this.lastEvaluatedKey = lastEvaluatedKey == null || lastEvaluatedKey.isEmpty() ? null : lastEvaluatedKey;
            this.capacityUnits = capacityUnits;
        }
    }

    /** What DescribeTable says about the table. */
    final class Table {
        final List<String> keyAttributes;
        /** -1 when unknown. */
        final long itemCountEstimate;

        public Table(List<String> keyAttributes, long itemCountEstimate) {
            this.keyAttributes = List.copyOf(keyAttributes);
            this.itemCountEstimate = itemCountEstimate;
        }
    }

    /** Builds a scanner where the load runs (the enumerator, each reader). */
    @FunctionalInterface
    interface Factory extends Serializable {
        TableScanner create();
    }
}
