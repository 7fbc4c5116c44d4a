package dev.searchsync.config;

/** Where reading starts the first time the job sees a stream; after that, checkpoints decide. */
public enum StartPosition {
    /** The oldest record the stream still holds (up to 24 hours back for DynamoDB Streams). */
    TRIM_HORIZON,
    /** Only records written after the job first started; shards already closed are skipped. */
    LATEST,
    /** Records written at or after {@code source/start.timestamp}, in every shard, open or closed. */
    AT_TIMESTAMP
}
