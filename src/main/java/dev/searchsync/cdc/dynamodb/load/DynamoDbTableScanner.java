package dev.searchsync.cdc.dynamodb.load;

import dev.searchsync.aws.AwsClientSettings;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scans a DynamoDB table with the AWS SDK: strongly consistent pages (an eventually consistent read could miss a
 * write made just before the load started, which the stream would then not bring either, as it is older than the
 * load), with the capacity each page consumed.
 */
public final class DynamoDbTableScanner implements TableScanner {
    private final String tableName;
    private final DynamoDbClient client;

    public DynamoDbTableScanner(String tableName, AwsClientSettings aws) {
        this.tableName = Objects.requireNonNull(tableName);
        this.client = aws.configure(DynamoDbClient.builder()).httpClientBuilder(aws.httpClient()).build();
    }

    /** A factory for {@code tableName} in the account and region of {@code aws}. */
    public static Factory factory(String tableName, AwsClientSettings aws) {
        return () -> new DynamoDbTableScanner(tableName, aws);
    }

    @Override
    public Page scan(int segment, int totalSegments, Map<String, AttributeValue> exclusiveStartKey, int limit) {
        ScanRequest.Builder request = ScanRequest.builder().tableName(tableName).segment(segment)
                .totalSegments(totalSegments).consistentRead(true).limit(limit)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
        if (exclusiveStartKey != null) {
            request.exclusiveStartKey(exclusiveStartKey);
        }
        ScanResponse response = client.scan(request.build());
        return new Page(response.items(), response.hasLastEvaluatedKey() ? response.lastEvaluatedKey() : null,
                response.consumedCapacity() == null || response.consumedCapacity().capacityUnits() == null ? 0
                        : response.consumedCapacity().capacityUnits());
    }

    @Override
    public Table describe() {
        DescribeTableResponse response = client.describeTable(b -> b.tableName(tableName));
        List<KeySchemaElement> schema = new ArrayList<>(response.table().keySchema());
        // HASH first: the order a key is written in does not matter to DynamoDB, but a stable one reads better.
        schema.sort(Comparator.comparing(element -> element.keyType() == KeyType.HASH ? 0 : 1));
        List<String> keys = new ArrayList<>();
        schema.forEach(element -> keys.add(element.attributeName()));
        Long count = response.table().itemCount();
        return new Table(keys, count == null ? -1 : count);
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "DynamoDbTableScanner{" + tableName + '}';
    }
}
