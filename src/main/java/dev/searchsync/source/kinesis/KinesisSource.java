package dev.searchsync.source.kinesis;

import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.config.ShardSourceSettings;
import dev.searchsync.source.ShardStreamSource;

import software.amazon.awssdk.services.kinesis.model.Record;

/** Builds the lineage-aware source for one Kinesis data stream. */
public final class KinesisSource {
    private KinesisSource() {}

    /** {@code stream}: the stream's name or its ARN ({@code arn:aws:kinesis:<region>:<account>:stream/<name>}). */
    public static ShardStreamSource<Record, KinesisRecord> create(
            String stream, AwsClientSettings aws, ShardSourceSettings settings) {
        return new ShardStreamSource<>(
                () -> new KinesisShardClient(stream, aws), new KinesisRecordConverter(), settings);
    }
}
