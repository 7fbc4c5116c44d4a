package dev.searchsync.cdc.dynamodb;

import dev.searchsync.aws.AwsClientSettings;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

import java.util.List;
import java.util.Objects;

/** Reads the key schema from DynamoDB (DescribeTable), so users need not repeat what the table already says. */
public final class DescribeTableKeySchema implements KeySchemaSource {
    private static final long serialVersionUID = 1L;

    private final String tableName;
    private final AwsClientSettings aws;

    public DescribeTableKeySchema(String tableName, AwsClientSettings aws) {
        this.tableName = Objects.requireNonNull(tableName);
        this.aws = Objects.requireNonNull(aws);
    }

    /**
     * @throws IllegalStateException when the table cannot be described; the message says how to skip the lookup
     */
    @Override
    public KeySchema keySchema() {
        try (DynamoDbClient client = aws.configure(DynamoDbClient.builder())
                .httpClientBuilder(aws.httpClient())
                .build()) {
            return fromElements(tableName, client.describeTable(b -> b.tableName(tableName)).table().keySchema());
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("Cannot read the key schema of table '" + tableName + "': it does not"
                    + " exist (region " + aws.region() + ")", e);
        } catch (SdkException e) {
            throw new IllegalStateException("Cannot read the key schema of table '" + tableName + "' with"
                    + " DescribeTable: " + e.getMessage() + ". Allow dynamodb:DescribeTable, or set index/partition.key"
                    + " (and index/sort.key) so it is not looked up", e);
        }
    }

    static KeySchema fromElements(String tableName, List<KeySchemaElement> elements) {
        String partitionKey = null;
        String sortKey = null;
        for (KeySchemaElement element : elements) {
            if (element.keyType() == KeyType.HASH) {
                partitionKey = element.attributeName();
            } else if (element.keyType() == KeyType.RANGE) {
                sortKey = element.attributeName();
            }
        }
        if (partitionKey == null) {
            throw new IllegalStateException("Table '" + tableName + "' reports no HASH key in " + elements);
        }
        return KeySchema.of(partitionKey, sortKey);
    }

    @Override
    public String toString() {
        return "key schema of table '" + tableName + "' (DescribeTable)";
    }
}
