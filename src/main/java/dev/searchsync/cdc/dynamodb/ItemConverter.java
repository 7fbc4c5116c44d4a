package dev.searchsync.cdc.dynamodb;

import dev.searchsync.model.DocumentAction;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.Serializable;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/** Decides what one change of one item means for the index: which document to write, or which to delete. */
public final class ItemConverter implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String index;
    private final KeySchema keySchema;
    private final Set<String> include;
    private final Set<String> exclude;

    /**
     * @param include top-level attributes to keep; empty keeps all
     * @param exclude top-level attributes to drop
     */
    public ItemConverter(String index, KeySchema keySchema, Collection<String> include, Collection<String> exclude) {
        this.index = Objects.requireNonNull(index);
        this.keySchema = Objects.requireNonNull(keySchema);
        // Insertion-ordered copies: serializable, and readable when logged.
        this.include = new LinkedHashSet<>(include);
        this.exclude = new LinkedHashSet<>(exclude);
    }

    /** @throws ConversionException naming the table, the event and what was wrong */
    public DocumentAction convert(ChangeRecord change) {
        if (change.getEventName() == null) {
            throw ConversionException.of(change, "it has no event name (INSERT, MODIFY or REMOVE)", null);
        }
        String id = documentId(change);
        switch (change.getEventName()) {
            case REMOVE:
                return DocumentAction.delete(index, id, DynamoDbChangeMapper.originOf(change));
            case INSERT:
            case MODIFY: {
                ItemDocuments.Rendered document = document(change);
                return DocumentAction.index(index, id, document.utf8(), document.fieldPaths(),
                        DynamoDbChangeMapper.originOf(change));
            }
            default:
                throw ConversionException.of(change, "unknown event name " + change.getEventName(), null);
        }
    }

    private String documentId(ChangeRecord change) {
        Map<String, AttributeValue> key = parse(change, "its keys are", change::keyItem);
        if (key == null) {
            throw ConversionException.of(change, "it has no keys", null);
        }
        try {
            return DocumentIds.of(key, keySchema);
        } catch (RuntimeException e) {
            throw ConversionException.of(change, "its keys do not fit the table's key schema (" + keySchema + "): "
                    + e.getMessage(), e);
        }
    }

    private ItemDocuments.Rendered document(ChangeRecord change) {
        Map<String, AttributeValue> item = parse(change, "its new image is", change::newItem);
        if (item == null) {
            throw ConversionException.of(change, change.getEventName() + " without a new image: the table's stream"
                    + " view type must include new images (NEW_IMAGE or NEW_AND_OLD_IMAGES; NEW_AND_OLD_IMAGES is"
                    + " recommended)", null);
        }
        try {
            return ItemDocuments.render(item, include, exclude);
        } catch (RuntimeException e) {
            throw ConversionException.of(change, "the new image cannot be written as a document: " + e.getMessage(),
                    e);
        }
    }

    /** The map, read now if the change holds it as text (a redrive, or a change that crossed an edge). */
    private static Map<String, AttributeValue> parse(ChangeRecord change, String subject,
            Supplier<Map<String, AttributeValue>> image) {
        try {
            return image.get();
        } catch (RuntimeException e) {
            throw ConversionException.of(change, subject + " not DynamoDB JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "ItemConverter{index=" + index + ", " + keySchema + ", include=" + include + ", exclude=" + exclude
                + '}';
    }
}
