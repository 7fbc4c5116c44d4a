package dev.searchsync.cdc.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Objects;

/**
 * An item (or key) of a change, kept in whichever form it came in (the SDK's attribute map from the stream, or
 * DynamoDB JSON text from a dead letter or across an operator edge) and turned into the other form only when
 * asked: the document is rendered from the map, and the text is written only for a dead letter or an edge. The
 * conversion cost half of the job's CPU per change when every image was written as text and parsed back.
 *
 * <p>Read by one thread at a time (the fetcher hands a change to its task thread through a queue): the form
 * computed on first use is kept without locking.
 */
final class ItemImage {
    private String json;
    private Map<String, AttributeValue> item;

    private ItemImage(String json, Map<String, AttributeValue> item) {
        this.json = json;
        this.item = item;
    }

    /** DynamoDB JSON text, read only when {@link #item()} is asked for; null stays null. */
    static ItemImage ofJson(String json) {
        return json == null ? null : new ItemImage(json, null);
    }

    /**
     * The SDK's map, checked now to be writable as DynamoDB JSON, so a dead letter can always hold it; null stays
     * null.
     *
     * @throws IllegalArgumentException naming what cannot be written (a null or unknown attribute value)
     */
    static ItemImage ofItem(Map<String, AttributeValue> item) {
        if (item == null) {
            return null;
        }
        DynamoDbJson.requireWritable(item);
        return new ItemImage(null, item);
    }

    /** As DynamoDB JSON text, written from the map on the first call. */
    String json() {
        if (json == null) {
            json = DynamoDbJson.write(item);
        }
        return json;
    }

    /**
     * As the SDK's map, read from the text on the first call.
     *
     * @throws IllegalArgumentException when the text is not DynamoDB JSON
     */
    Map<String, AttributeValue> item() {
        if (item == null) {
            item = DynamoDbJson.read(json);
        }
        return item;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ItemImage && Objects.equals(json(), ((ItemImage) o).json());
    }

    @Override
    public int hashCode() {
        return json().hashCode();
    }

    @Override
    public String toString() {
        return json();
    }
}
