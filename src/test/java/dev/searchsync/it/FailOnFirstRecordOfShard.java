package dev.searchsync.it;

import dev.searchsync.cdc.dynamodb.ChangeRecord;

import org.apache.flink.api.common.functions.MapFunction;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Throws once per run on the first record that does not come from {@code rootShardId}: the job then fails just
 * after a parent shard finished, usually before a checkpoint covers that, which is the hardest case for lineage.
 * It also slows every record down a little, so that backpressure leaves a long tail of the parent to read again.
 */
public class FailOnFirstRecordOfShard implements MapFunction<ChangeRecord, ChangeRecord> {
    private static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();

    private final String run;
    private final String rootShardId;

    private final long pauseNanosPerRecord;

    public FailOnFirstRecordOfShard(String run, String rootShardId, long pauseNanosPerRecord) {
        this.run = run;
        this.rootShardId = rootShardId;
        this.pauseNanosPerRecord = pauseNanosPerRecord;
    }

    public static boolean hasFailed(String run) {
        return FAILED.computeIfAbsent(run, r -> new AtomicBoolean()).get();
    }

    @Override
    public ChangeRecord map(ChangeRecord change) {
        long until = System.nanoTime() + pauseNanosPerRecord;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        if (!rootShardId.equals(change.getShardId())
                && FAILED.computeIfAbsent(run, r -> new AtomicBoolean()).compareAndSet(false, true)) {
            throw new IllegalStateException("Planned failure on the first record of child shard "
                    + change.getShardId() + " (test " + run + ")");
        }
        return change;
    }
}
