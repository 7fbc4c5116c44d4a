package dev.searchsync.source.reader;

import dev.searchsync.metrics.ExportedMetrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reader's metrics. Made once per reader and shared by the split readers the fetcher manager may create,
 * so a shard's metrics survive a fetcher being replaced.
 */
public final class ShardReaderMetrics {
    private final MetricGroup group;
    private final Counter getRecordsCalls;
    private final Counter throttles;
    private final Counter iteratorRefreshes;
    private final Counter trimmedDataRestarts;
    private final Map<String, ShardMetrics> shards = new ConcurrentHashMap<>();

    public ShardReaderMetrics(MetricGroup group) {
        this.group = group;
        this.getRecordsCalls = group.counter("getRecordsCalls");
        this.throttles = group.counter("getRecordsThrottles");
        this.iteratorRefreshes = group.counter("shardIteratorRefreshes");
        this.trimmedDataRestarts = group.counter("trimmedDataRestarts");
        ExportedMetrics.exported(group).gauge(ExportedMetrics.MILLIS_BEHIND_LATEST, this::maxMillisBehindLatest);
    }

    /** The most any shard of this reader is behind (0 for finished shards), or -1 before the first batch. */
    public long maxMillisBehindLatest() {
        long max = -1;
        for (ShardMetrics shard : shards.values()) {
            max = Math.max(max, shard.millisBehindLatest());
        }
        return max;
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

    public ShardMetrics shard(String shardId) {
        return shards.computeIfAbsent(shardId, id -> new ShardMetrics(group.addGroup("shardId", id)));
    }

    /** Per-shard figures: how many records were read and how far behind the newest record the reader is. */
    public static final class ShardMetrics {
        private final Counter recordsRead;
        private volatile long millisBehindLatest = -1;

        ShardMetrics(MetricGroup group) {
            this.recordsRead = group.counter("recordsRead");
            group.gauge("millisBehindLatest", () -> millisBehindLatest);
        }

        public Counter recordsRead() {
            return recordsRead;
        }

        public long millisBehindLatest() {
            return millisBehindLatest;
        }

        public void millisBehindLatest(long millis) {
            this.millisBehindLatest = millis;
        }
    }
}
