package dev.searchsync.it;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Passes records through, and throws exactly once per run after a checkpoint has completed. */
public class FailOnceAfterCheckpoint<T> implements MapFunction<T, T>, CheckpointListener {
    private static final Map<String, AtomicBoolean> FAILED = new ConcurrentHashMap<>();

    private final String run;
    private final long recordsAfterCheckpoint;
    private transient boolean armed;
    private transient long seenSinceArmed;

    public FailOnceAfterCheckpoint(String run, long recordsAfterCheckpoint) {
        this.run = run;
        this.recordsAfterCheckpoint = recordsAfterCheckpoint;
    }

    public static boolean hasFailed(String run) {
        return FAILED.computeIfAbsent(run, r -> new AtomicBoolean()).get();
    }

    @Override
    public T map(T value) {
        // Fail with records in flight after the checkpoint, so the restore has something to replay.
        if (armed && ++seenSinceArmed > recordsAfterCheckpoint
                && FAILED.computeIfAbsent(run, r -> new AtomicBoolean()).compareAndSet(false, true)) {
            throw new IllegalStateException("Planned failure after a completed checkpoint (test " + run + ")");
        }
        return value;
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        armed = true;
    }
}
