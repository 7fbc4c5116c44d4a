package dev.searchsync.it;

import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.sink.RichSinkFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test sink with exactly-once output: records become visible only when the checkpoint that covers them
 * completes (a two-phase commit into a static list), so a restart's replay cannot show up as duplicates and a
 * lost record cannot hide. One list per sink subtask keeps each subtask's commit order.
 */
public class CommittingSink extends RichSinkFunction<Observation> implements CheckpointedFunction, CheckpointListener {
    private static final Map<String, Map<Integer, List<Observation>>> COMMITTED = new ConcurrentHashMap<>();
    private static final Set<String> COMMITTED_CHECKPOINTS = ConcurrentHashMap.newKeySet();

    private final String run;
    private transient List<Observation> current;
    private transient TreeMap<Long, List<Observation>> pending;
    private transient ListState<Observation> pendingState;

    public CommittingSink(String run) {
        this.run = run;
    }

    /** Everything committed so far by every subtask of run {@code run}. */
    public static List<Observation> committed(String run) {
        List<Observation> all = new ArrayList<>();
        COMMITTED.getOrDefault(run, Map.of()).values().forEach(list -> {
            synchronized (list) {
                all.addAll(list);
            }
        });
        return all;
    }

    /** Per sink subtask, in commit order: a copy, as the job may still be committing. */
    public static Map<Integer, List<Observation>> committedBySubtask(String run) {
        Map<Integer, List<Observation>> copy = new TreeMap<>();
        COMMITTED.getOrDefault(run, Map.of()).forEach((subtask, list) -> {
            synchronized (list) {
                copy.put(subtask, new ArrayList<>(list));
            }
        });
        return copy;
    }

    @Override
    public void invoke(Observation value, Context context) {
        current.add(value);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        long checkpointId = context.getCheckpointId();
        for (Observation observation : current) {
            observation.checkpointId = checkpointId;
        }
        pending.put(checkpointId, current);
        current = new ArrayList<>();
        List<Observation> all = new ArrayList<>();
        pending.values().forEach(all::addAll);
        pendingState.update(all);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        current = new ArrayList<>();
        pending = new TreeMap<>();
        pendingState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("pending", Observation.class));
        for (Observation observation : pendingState.get()) {
            pending.computeIfAbsent(observation.checkpointId, id -> new ArrayList<>()).add(observation);
        }
        // Restored from a completed checkpoint: what it holds is committed, unless the commit already happened.
        if (context.isRestored()) {
            commitUpTo(Long.MAX_VALUE);
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        commitUpTo(checkpointId);
    }

    private void commitUpTo(long checkpointId) {
        int subtask = getRuntimeContext().getIndexOfThisSubtask();
        List<Observation> target = COMMITTED.computeIfAbsent(run, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(subtask, s -> new ArrayList<>());
        while (!pending.isEmpty() && pending.firstKey() <= checkpointId) {
            Map.Entry<Long, List<Observation>> entry = pending.pollFirstEntry();
            if (COMMITTED_CHECKPOINTS.add(run + "/" + subtask + "/" + entry.getKey())) {
                synchronized (target) {
                    target.addAll(entry.getValue());
                }
            }
        }
    }
}
