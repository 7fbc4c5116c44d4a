package dev.searchsync.source.enumerator;

import dev.searchsync.source.split.ShardSplit;

import java.util.Objects;

/**
 * The enumerator's record of one shard. {@code subtask} is the reader that owns it (ASSIGNED), that read it
 * (FINISHED), or that should get it back (UNASSIGNED after a reader failed); -1 when none.
 */
public final class TrackedShard {
    private final ShardSplit split;
    private final ShardStatus status;
    private final int subtask;

    public TrackedShard(ShardSplit split, ShardStatus status, int subtask) {
        this.split = Objects.requireNonNull(split);
        this.status = Objects.requireNonNull(status);
        this.subtask = subtask;
    }

    public ShardSplit split() {
        return split;
    }

    public String shardId() {
        return split.shardId();
    }

    public ShardStatus status() {
        return status;
    }

    public int subtask() {
        return subtask;
    }

    TrackedShard with(ShardStatus newStatus, int newSubtask) {
        return new TrackedShard(split, newStatus, newSubtask);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TrackedShard)) {
            return false;
        }
        TrackedShard that = (TrackedShard) o;
        return subtask == that.subtask && status == that.status && split.equals(that.split);
    }

    @Override
    public int hashCode() {
        return Objects.hash(split, status, subtask);
    }

    @Override
    public String toString() {
        return split.shardId() + ":" + status + (subtask >= 0 ? "@" + subtask : "");
    }
}
