package dev.searchsync.source.reader;

import dev.searchsync.metrics.ExportedMetrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reader's metrics. Made once per reader and shared by the split readers the fetcher manager may create,
 * so the lag of a shard survives a fetcher being replaced. No metric is registered per shard: shards roll over
 * about every four hours, and Flink cannot take a metric group off its parent, so per-shard metrics would pile
 * up for as long as the job runs; the per-shard lag is kept here only while the shard is read.
 */
public final class ShardReaderMetrics {
    private final Counter getRecordsCalls;
    private final Counter throttles;
    private final Counter iteratorRefreshes;
    private final Counter trimmedDataRestarts;
    private final Counter recordsRead;
    private final Map<String, Long> millisBehindByShard = new ConcurrentHashMap<>();
    private volatile boolean batchRead;

    public ShardReaderMetrics(MetricGroup group) {
        this.getRecordsCalls = group.counter("getRecordsCalls");
        this.throttles = group.counter("getRecordsThrottles");
        this.iteratorRefreshes = group.counter("shardIteratorRefreshes");
        this.trimmedDataRestarts = group.counter("trimmedDataRestarts");
        this.recordsRead = group.counter("recordsRead");
        ExportedMetrics.exported(group).gauge(ExportedMetrics.MILLIS_BEHIND_LATEST, this::maxMillisBehindLatest);
    }

    /**
     * The most any shard this reader reads is behind; 0 once every shard it read has finished, -1 before the
     * first batch.
     */
    public long maxMillisBehindLatest() {
        long max = batchRead ? 0 : -1;
        for (long millis : millisBehindByShard.values()) {
            max = Math.max(max, millis);
        }
        return max;
    }

    /** How far the shard's last batch was behind the newest record of the stream. */
    public void millisBehindLatest(String shardId, long millis) {
        millisBehindByShard.put(shardId, millis);
        batchRead = true;
    }

    /** The shard is no longer read by this reader: it no longer counts. */
    public void shardFinished(String shardId) {
        millisBehindByShard.remove(shardId);
    }

    public Counter getRecordsCalls() {
        return getRecordsCalls;
    }

    public Counter throttles() {
        return throttles;
    }

    public Counter iteratorRefreshes() {
        return iteratorRefreshes;
    }

    public Counter trimmedDataRestarts() {
        return trimmedDataRestarts;
    }

    /** Records read from all shards of this reader. */
    public Counter recordsRead() {
        return recordsRead;
    }
}
