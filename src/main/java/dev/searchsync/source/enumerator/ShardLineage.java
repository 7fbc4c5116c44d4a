package dev.searchsync.source.enumerator;

import dev.searchsync.config.StartPosition;
import dev.searchsync.source.client.ShardInfo;
import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.StartingPosition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ordering rules of the source, kept apart from Flink so they can be tested alone.
 *
 * <ul>
 *   <li>A shard is handed out only once every parent it names is finished (or no longer exists).
 *   <li>A child goes to the subtask that read its parent, so the parent's records and the child's leave through
 *       the same channel and keep per-key order downstream.
 *   <li>A child whose parent was read on another subtask (the second parent of a Kinesis merge, or any parent
 *       after the job was rescaled) also waits until that parent is <em>settled</em>: until a checkpoint taken
 *       after it finished has completed. The parent's last records left its subtask before that checkpoint's
 *       barrier did, and a completed checkpoint means every operator has processed everything before its
 *       barrier, so nothing of the parent can still be in flight on another channel when the child's first
 *       record is read. Shards restored as finished were settled by the checkpoint they come from.
 *   <li>A shard with no parent to follow goes to the registered subtask that owns the fewest shards.
 *   <li>Finished shards are forgotten only once the stream no longer lists them, so a child can never
 *       overtake them.
 * </ul>
 *
 * Not thread-safe: the enumerator calls it from the coordinator thread only.
 */
public final class ShardLineage {
    private static final long NO_CHECKPOINT_YET = -1;

    private final Map<String, TrackedShard> shards = new LinkedHashMap<>();
    /**
     * Finished shards not settled yet, each with the first checkpoint taken since it finished (or
     * {@link #NO_CHECKPOINT_YET}); that checkpoint's completion settles it. Not checkpointed: see the class comment.
     */
    private final Map<String, Long> unsettled = new HashMap<>();
    private String streamId;

    public ShardLineage() {}

    public static ShardLineage restore(ShardEnumeratorState state) {
        ShardLineage lineage = new ShardLineage();
        lineage.streamId = state.streamId();
        for (TrackedShard shard : state.shards()) {
            lineage.shards.put(shard.shardId(), shard);
        }
        return lineage;
    }

    public String streamId() {
        return streamId;
    }

    /**
     * Takes in a full listing of the stream. The very first listing decides start positions from the configured
     * {@code startPosition}; shards that appear later are new, so they are always read from their beginning.
     *
     * @return the shards seen for the first time
     */
    public List<ShardSplit> onListing(String listedStreamId, List<ShardInfo> listing, StartPosition startPosition) {
        return onListing(listedStreamId, listing, startPosition, System.currentTimeMillis());
    }

    /**
     * As {@link #onListing(String, List, StartPosition)}, with the time LATEST means: open shards then start
     * AT_TIMESTAMP of it, so a restore or a renewed iterator before their first record cannot skip anything.
     */
    public List<ShardSplit> onListing(
            String listedStreamId, List<ShardInfo> listing, StartPosition startPosition, long nowMillis) {
        return onListing(listedStreamId, listing, startPosition, 0, nowMillis);
    }

    /**
     * As {@link #onListing(String, List, StartPosition, long)}, with the time {@link StartPosition#AT_TIMESTAMP}
     * starts at: on the first listing every shard, closed or not, starts there (a closed shard may hold records
     * written after it).
     */
    public List<ShardSplit> onListing(String listedStreamId, List<ShardInfo> listing, StartPosition startPosition,
            long startTimestampMillis, long nowMillis) {
        boolean firstListing = streamId == null;
        streamId = listedStreamId;
        Set<String> listed = new HashSet<>();
        for (ShardInfo info : listing) {
            listed.add(info.shardId());
        }
        List<ShardSplit> added = new ArrayList<>();
        for (ShardInfo info : listing) {
            if (shards.containsKey(info.shardId())) {
                continue;
            }
            ShardSplit split = new ShardSplit(listedStreamId, info.shardId(), info.parentShardId(),
                    info.adjacentParentShardId(), StartingPosition.trimHorizon(), false);
            ShardStatus status = ShardStatus.UNASSIGNED;
            if (firstListing && startPosition == StartPosition.AT_TIMESTAMP) {
                split = split.withStartingPosition(StartingPosition.atTimestamp(startTimestampMillis));
            }
            if (firstListing && startPosition == StartPosition.LATEST) {
                // LATEST means "what is written from now on": closed shards hold only the past.
                if (info.closed()) {
                    status = ShardStatus.FINISHED;
                } else {
                    split = split.withStartingPosition(StartingPosition.atTimestamp(nowMillis));
                }
            }
            shards.put(info.shardId(), new TrackedShard(split, status, -1));
            added.add(split);
        }
        // The stream trimmed these: no child can be waiting on them any longer.
        shards.values().removeIf(s -> s.status() == ShardStatus.FINISHED && !listed.contains(s.shardId()));
        unsettled.keySet().retainAll(shards.keySet());
        return added;
    }

    /**
     * Forgets the stream and every shard of it, so that the next listing, of another stream, is a first listing.
     *
     * @return the shards forgotten
     */
    public List<TrackedShard> replaceStream() {
        List<TrackedShard> dropped = new ArrayList<>(shards.values());
        shards.clear();
        unsettled.clear();
        streamId = null;
        return dropped;
    }

    /**
     * Records that {@code subtask} read the shard to its end.
     *
     * @return false when the shard was already finished or is unknown (a repeated or stale report)
     */
    public boolean markFinished(String shardId, int subtask) {
        TrackedShard shard = shards.get(shardId);
        if (shard == null || shard.status() == ShardStatus.FINISHED) {
            return false;
        }
        shards.put(shardId, shard.with(ShardStatus.FINISHED, subtask));
        unsettled.put(shardId, NO_CHECKPOINT_YET);
        return true;
    }

    /** A checkpoint is being taken: shards finished since the last one are settled once it completes. */
    public void onCheckpoint(long checkpointId) {
        unsettled.replaceAll((shardId, settlingCheckpoint) ->
                settlingCheckpoint == NO_CHECKPOINT_YET ? checkpointId : settlingCheckpoint);
    }

    /**
     * A checkpoint completed: the shards it settles no longer hold back children on other subtasks.
     *
     * @return true when some shard was settled (children may now be assignable)
     */
    public boolean onCheckpointComplete(long checkpointId) {
        return unsettled.values().removeIf(
                settlingCheckpoint -> settlingCheckpoint != NO_CHECKPOINT_YET && settlingCheckpoint <= checkpointId);
    }

    /**
     * Takes back splits Flink returns when a reader fails: those assigned to it since the checkpoint it restores.
     * Nothing of them is in that checkpoint, so whatever the reader did with them since (even finishing them) is
     * undone; they go back to the same subtask when it is ready again, in lineage order.
     */
    public void returnSplits(Collection<ShardSplit> splits, int subtask) {
        for (ShardSplit split : splits) {
            // A replaced stream's split is not this stream's shard, even when their ids are the same.
            if (split.streamId().equals(streamId) && shards.containsKey(split.shardId())) {
                shards.put(split.shardId(), new TrackedShard(split, ShardStatus.UNASSIGNED, subtask));
                unsettled.remove(split.shardId());
            }
        }
    }

    /**
     * Reconciles with what a (re)started reader holds. A shard it reports as being read is being read, even if
     * it was reported finished before the reader failed and restored an earlier checkpoint; its children, handed
     * out since, came back through {@link #returnSplits} and wait for it again.
     *
     * @return the shards the reader reported finished that were not finished yet
     */
    public List<String> onReaderReady(int subtask, Collection<String> reading, Collection<String> finished) {
        for (String shardId : reading) {
            TrackedShard shard = shards.get(shardId);
            if (shard != null && (shard.status() != ShardStatus.ASSIGNED || shard.subtask() != subtask)) {
                shards.put(shardId, shard.with(ShardStatus.ASSIGNED, subtask));
                unsettled.remove(shardId);
            }
        }
        return onFinished(finished, subtask);
    }

    /**
     * Records that {@code subtask} read these shards to their end.
     *
     * @return those that were not finished yet (repeated or stale reports are left out)
     */
    public List<String> onFinished(Collection<String> shardIds, int subtask) {
        List<String> newlyFinished = new ArrayList<>();
        for (String shardId : shardIds) {
            if (markFinished(shardId, subtask)) {
                newlyFinished.add(shardId);
            }
        }
        return newlyFinished;
    }

    /**
     * Decides which ready shards go where, and records them as assigned.
     *
     * @param readers the subtasks whose readers are registered now
     * @param parallelism the source's current parallelism (subtasks remembered from a larger one are ignored)
     */
    public Map<Integer, List<ShardSplit>> assign(Set<Integer> readers, int parallelism) {
        Map<Integer, List<ShardSplit>> assignment = new TreeMap<>();
        if (readers.isEmpty()) {
            return assignment;
        }
        Map<Integer, Integer> load = new HashMap<>();
        for (int reader : readers) {
            load.put(reader, 0);
        }
        for (TrackedShard shard : shards.values()) {
            if (shard.status() == ShardStatus.ASSIGNED) {
                load.computeIfPresent(shard.subtask(), (k, v) -> v + 1);
            }
        }
        for (TrackedShard shard : new ArrayList<>(shards.values())) {
            if (shard.status() != ShardStatus.UNASSIGNED || !parentsDone(shard.split())) {
                continue;
            }
            int target = preferredSubtask(shard, parallelism);
            if (target >= 0 && !readers.contains(target)) {
                continue; // that reader is restarting: wait for it rather than break the order
            }
            if (target < 0) {
                target = leastLoaded(load);
            }
            if (!parentsSettledFor(shard.split(), target)) {
                continue; // a parent read elsewhere may still have records in flight: wait for a checkpoint
            }
            load.merge(target, 1, Integer::sum);
            shards.put(shard.shardId(), shard.with(ShardStatus.ASSIGNED, target));
            assignment.computeIfAbsent(target, k -> new ArrayList<>()).add(shard.split());
        }
        return assignment;
    }

    /** True when the stream listed a shard naming {@code shardId} as a parent. */
    public boolean hasChild(String shardId) {
        for (TrackedShard shard : shards.values()) {
            if (shardId.equals(shard.split().parentShardId())
                    || shardId.equals(shard.split().adjacentParentShardId())) {
                return true;
            }
        }
        return false;
    }

    public TrackedShard get(String shardId) {
        return shards.get(shardId);
    }

    public int count(ShardStatus status) {
        int count = 0;
        for (TrackedShard shard : shards.values()) {
            if (shard.status() == status) {
                count++;
            }
        }
        return count;
    }

    public ShardEnumeratorState snapshot() {
        return new ShardEnumeratorState(streamId, new ArrayList<>(shards.values()));
    }

    private boolean parentsDone(ShardSplit split) {
        return parentDone(split.parentShardId()) && parentDone(split.adjacentParentShardId());
    }

    private boolean parentDone(String parentId) {
        if (parentId == null) {
            return true;
        }
        TrackedShard parent = shards.get(parentId);
        // A parent the stream no longer lists has aged out; nothing of it is left to read first.
        return parent == null || parent.status() == ShardStatus.FINISHED;
    }

    private boolean parentsSettledFor(ShardSplit split, int subtask) {
        return parentSettledFor(split.parentShardId(), subtask)
                && parentSettledFor(split.adjacentParentShardId(), subtask);
    }

    private boolean parentSettledFor(String parentId, int subtask) {
        TrackedShard parent = parentId == null ? null : shards.get(parentId);
        return parent == null || parent.subtask() == subtask || !unsettled.containsKey(parentId);
    }

    private int preferredSubtask(TrackedShard shard, int parallelism) {
        int preferred = shard.subtask();
        if (preferred < 0) {
            TrackedShard parent = shard.split().parentShardId() == null
                    ? null
                    : shards.get(shard.split().parentShardId());
            preferred = parent == null ? -1 : parent.subtask();
        }
        return preferred < parallelism ? preferred : -1;
    }

    private static int leastLoaded(Map<Integer, Integer> load) {
        int best = -1;
        int bestLoad = Integer.MAX_VALUE;
        for (int subtask : new TreeSet<>(load.keySet())) {
            int current = load.get(subtask);
            if (current < bestLoad) {
                best = subtask;
                bestLoad = current;
            }
        }
        return best;
    }
}
