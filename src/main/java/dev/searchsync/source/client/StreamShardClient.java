package dev.searchsync.source.client;

import dev.searchsync.source.split.StartingPosition;

import java.util.List;

/**
 * The shard-model calls DynamoDB Streams and Kinesis Data Streams share. The enumerator and reader see only this,
 * so a second backend reuses the lineage and polling logic unchanged.
 *
 * @param <R> the service's record type
 */
public interface StreamShardClient<R> extends AutoCloseable {

    /** Resolves the configured stream (for example a table name) to the id splits carry. */
    String resolveStreamId();

    /** Every shard the stream lists now, following pagination and keeping within the service's call limit. */
    List<ShardInfo> listShards(String streamId);

    /**
     * An iterator for {@code position}.
     *
     * @throws ShardDataTrimmedException when the position has aged out of the stream
     * @throws ShardNotFoundException when the service no longer knows the shard (it closed and aged out whole)
     */
    String getShardIterator(String streamId, String shardId, StartingPosition position);

    /**
     * Reads at most {@code limit} records.
     *
     * @throws ShardIteratorExpiredException when the iterator is older than the service allows
     * @throws ShardDataTrimmedException when the iterator points at records that aged out
     * @throws ShardNotFoundException when the service no longer knows the shard
     * @throws ShardThrottledException when the service asks the caller to slow down
     */
    RecordBatch<R> getRecords(String shardIterator, int limit);

    /**
     * The service's per-shard read-rate limit, as the shortest time between two GetRecords calls on one shard
     * (Kinesis allows 5 a second per shard, shared by every reader of the stream); 0 when the service sets none
     * that the reader must keep to by itself.
     */
    default long minPollSpacingMillis() {
        return 0;
    }

    /** The record's sequence number, as the service spells it (DynamoDB's do not fit a long). */
    String sequenceNumber(R record);

    /** When the record was written, in epoch milliseconds (approximate, as the service gives it). */
    long approximateArrivalMillis(R record);

    @Override
    void close();
}
