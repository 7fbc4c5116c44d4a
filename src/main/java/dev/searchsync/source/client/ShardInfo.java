package dev.searchsync.source.client;

import java.util.Objects;

/** A shard as the stream lists it: its id, its lineage and whether it is closed to new writes. */
public final class ShardInfo {
    private final String shardId;
    private final String parentShardId;
    private final String adjacentParentShardId;
    private final boolean closed;

    public ShardInfo(String shardId, String parentShardId, String adjacentParentShardId, boolean closed) {
        this.shardId = Objects.requireNonNull(shardId);
        this.parentShardId = parentShardId;
        this.adjacentParentShardId = adjacentParentShardId;
        this.closed = closed;
    }

    public String shardId() {
        return shardId;
    }

    /** The shard this one continues, or null for a root shard. */
    public String parentShardId() {
        return parentShardId;
    }

    /** The second parent of a merged shard (Kinesis only; DynamoDB never merges), or null. */
    public String adjacentParentShardId() {
        return adjacentParentShardId;
    }

    /** True when the shard has an ending sequence number: it takes no new records. */
    public boolean closed() {
        return closed;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ShardInfo)) {
            return false;
        }
        ShardInfo that = (ShardInfo) o;
        return closed == that.closed && shardId.equals(that.shardId)
                && Objects.equals(parentShardId, that.parentShardId)
                && Objects.equals(adjacentParentShardId, that.adjacentParentShardId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(shardId, parentShardId, adjacentParentShardId, closed);
    }

    @Override
    public String toString() {
        return shardId + (parentShardId == null ? "" : "<-" + parentShardId) + (closed ? " (closed)" : "");
    }
}
