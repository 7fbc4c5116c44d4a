package dev.searchsync.cdc.dynamodb;

import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.aws.StreamReference;
import dev.searchsync.config.ShardSourceSettings;
import dev.searchsync.source.ShardStreamSource;
import dev.searchsync.source.dynamodb.DynamoDbStreamsShardClient;

import software.amazon.awssdk.services.dynamodb.model.Record;

/** Builds the lineage-aware source for one DynamoDB stream. */
public final class DynamoDbStreamsSource {
    private DynamoDbStreamsSource() {}

    public static ShardStreamSource<Record, ChangeRecord> create(
            StreamReference stream, AwsClientSettings aws, ShardSourceSettings settings) {
        return new ShardStreamSource<>(
                () -> new DynamoDbStreamsShardClient(stream, aws), new DynamoDbChangeConverter(), settings);
    }
}
