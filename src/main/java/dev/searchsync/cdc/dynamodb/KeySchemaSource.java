package dev.searchsync.cdc.dynamodb;

import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.config.IndexConfig;

import java.io.Serializable;

/**
 * Where a task learns the table's key attributes. A source rather than a value because, unless configured, the
 * key schema is only known by asking DynamoDB, which is done where the job runs, not where it is built.
 */
public interface KeySchemaSource extends Serializable {
    /** The key schema; may call AWS, so it is resolved once when a task opens. */
    KeySchema keySchema();

    /**
     * The key schema {@code index} configures, or one that asks DynamoDB for {@code tableName}'s when a task
     * starts.
     */
    static KeySchemaSource configured(IndexConfig index, String tableName, AwsClientSettings aws) {
        return index.partitionKey().map(pk -> fixed(KeySchema.of(pk, index.sortKey().orElse(null))))
                .orElseGet(() -> new DescribeTableKeySchema(tableName, aws));
    }

    /** A key schema known up front (configured), so no AWS call is made. */
    static KeySchemaSource fixed(KeySchema schema) {
        return new FixedKeySchema(schema);
    }
}
