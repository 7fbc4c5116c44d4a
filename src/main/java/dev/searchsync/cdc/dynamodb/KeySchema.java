package dev.searchsync.cdc.dynamodb;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/** Which attributes form a table's primary key: the document id is built from exactly these. */
public final class KeySchema implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String partitionKey;
    private final String sortKey;

    private KeySchema(String partitionKey, String sortKey) {
        if (partitionKey == null || partitionKey.isEmpty()) {
            throw new IllegalArgumentException("a key schema needs a partition key attribute name");
        }
        if (sortKey != null && sortKey.isEmpty()) {
            throw new IllegalArgumentException("a sort key attribute name cannot be empty");
        }
        this.partitionKey = partitionKey;
        this.sortKey = sortKey;
    }

    /** A table keyed by its partition key alone. */
    public static KeySchema of(String partitionKey) {
        return new KeySchema(partitionKey, null);
    }

    /** A table with a partition key and, unless {@code sortKey} is null, a sort key. */
    public static KeySchema of(String partitionKey, String sortKey) {
        return new KeySchema(partitionKey, sortKey);
    }

    public String partitionKey() {
        return partitionKey;
    }

    public Optional<String> sortKey() {
        return Optional.ofNullable(sortKey);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KeySchema)) {
            return false;
        }
        KeySchema that = (KeySchema) o;
        return partitionKey.equals(that.partitionKey) && Objects.equals(sortKey, that.sortKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitionKey, sortKey);
    }

    @Override
    public String toString() {
        return sortKey == null
                ? "partition key '" + partitionKey + "'"
                : "partition key '" + partitionKey + "', sort key '" + sortKey + "'";
    }
}
