package dev.searchsync.cdc.dynamodb;

import java.util.Objects;

/** A configured key schema; a named class rather than a lambda so it reads well in logs and job graphs. */
final class FixedKeySchema implements KeySchemaSource {
    private static final long serialVersionUID = 1L;

    private final KeySchema schema;

    FixedKeySchema(KeySchema schema) {
        this.schema = Objects.requireNonNull(schema);
    }

    @Override
    public KeySchema keySchema() {
        return schema;
    }

    @Override
    public String toString() {
        return "configured " + schema;
    }
}
