package dev.searchsync.bench;

import dev.searchsync.source.client.RecordBatch;
import dev.searchsync.source.client.ShardInfo;
import dev.searchsync.source.client.StreamShardClient;
import dev.searchsync.source.split.StartingPosition;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Notes, per shard, when the source first asked for an iterator and what its GetRecords calls cost, so that the
 * source's read can be timed from the same starting point as a plain GetRecords loop and its calls that returned
 * records counted.
 */
final class TimedShardClient<R> implements StreamShardClient<R> {
    /** Static: the MiniCluster runs the readers in the benchmark's JVM. */
    static final Map<String, AtomicLong> FIRST_ITERATOR_NANOS = new ConcurrentHashMap<>();
    static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();
    static final Map<String, LongAdder> NANOS_IN_CALLS = new ConcurrentHashMap<>();
    /** Records returned over every shard, and when the last call that returned any ended. */
    static final LongAdder RECORDS = new LongAdder();
    static final AtomicLong LAST_RECORDS_NANOS = new AtomicLong();

    private final StreamShardClient<R> client;
    /** A shard's iterators, each known from the call that handed it out. */
    private final Map<String, String> shardOfIterator = new ConcurrentHashMap<>();

    TimedShardClient(StreamShardClient<R> client) {
        this.client = client;
    }

    @Override
    public String resolveStreamId() {
        return client.resolveStreamId();
    }

    @Override
    public List<ShardInfo> listShards(String streamId) {
        return client.listShards(streamId);
    }

    @Override
    public String getShardIterator(String streamId, String shardId, StartingPosition position) {
        FIRST_ITERATOR_NANOS.computeIfAbsent(shardId, s -> new AtomicLong(System.nanoTime()));
        String iterator = client.getShardIterator(streamId, shardId, position);
        shardOfIterator.put(iterator, shardId);
        return iterator;
    }

    @Override
    public RecordBatch<R> getRecords(String shardIterator, int limit) {
        String shard = shardOfIterator.remove(shardIterator);
        long start = System.nanoTime();
        RecordBatch<R> batch = client.getRecords(shardIterator, limit);
        // Calls that return nothing come after a shard's last record, outside the time the benchmark measures.
        if (shard != null && !batch.records().isEmpty()) {
            CALLS.computeIfAbsent(shard, s -> new LongAdder()).increment();
            long end = System.nanoTime();
            NANOS_IN_CALLS.computeIfAbsent(shard, s -> new LongAdder()).add(end - start);
            RECORDS.add(batch.records().size());
            LAST_RECORDS_NANOS.accumulateAndGet(end, Math::max);
        }
        if (shard != null && batch.nextIterator() != null) {
            shardOfIterator.put(batch.nextIterator(), shard);
        }
        return batch;
    }

    @Override
    public long minPollSpacingMillis() {
        return client.minPollSpacingMillis();
    }

    @Override
    public String sequenceNumber(R record) {
        return client.sequenceNumber(record);
    }

    @Override
    public long approximateArrivalMillis(R record) {
        return client.approximateArrivalMillis(record);
    }

    @Override
    public void close() {
        client.close();
    }
}
