package dev.searchsync.source.split;

import org.apache.flink.api.connector.source.SourceSplit;

import java.util.Objects;

/**
 * One shard of one stream, with its lineage and where to (re)start it. A split marked finished is a reader's
 * note that it read the shard to its end and is waiting for the enumerator to acknowledge that.
 */
public final class ShardSplit implements SourceSplit {
    private final String streamId;
    private final String shardId;
    private final String parentShardId;
    private final String adjacentParentShardId;
    private final StartingPosition startingPosition;
    private final boolean finished;

    public ShardSplit(
            String streamId,
            String shardId,
            String parentShardId,
            String adjacentParentShardId,
            StartingPosition startingPosition,
            boolean finished) {
        this.streamId = Objects.requireNonNull(streamId);
        this.shardId = Objects.requireNonNull(shardId);
        this.parentShardId = parentShardId;
        this.adjacentParentShardId = adjacentParentShardId;
        this.startingPosition = Objects.requireNonNull(startingPosition);
        this.finished = finished;
    }

    @Override
    public String splitId() {
        return shardId;
    }

    public String streamId() {
        return streamId;
    }

    public String shardId() {
        return shardId;
    }

    public String parentShardId() {
        return parentShardId;
    }

    public String adjacentParentShardId() {
        return adjacentParentShardId;
    }

    public StartingPosition startingPosition() {
        return startingPosition;
    }

    public boolean isFinished() {
        return finished;
    }

    public ShardSplit withStartingPosition(StartingPosition position) {
        return new ShardSplit(streamId, shardId, parentShardId, adjacentParentShardId, position, finished);
    }

    public ShardSplit asFinished() {
        return new ShardSplit(streamId, shardId, parentShardId, adjacentParentShardId, startingPosition, true);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ShardSplit)) {
            return false;
        }
        ShardSplit that = (ShardSplit) o;
        return finished == that.finished && streamId.equals(that.streamId) && shardId.equals(that.shardId)
                && Objects.equals(parentShardId, that.parentShardId)
                && Objects.equals(adjacentParentShardId, that.adjacentParentShardId)
                && startingPosition.equals(that.startingPosition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(streamId, shardId, parentShardId, adjacentParentShardId, startingPosition, finished);
    }

    @Override
    public String toString() {
        return "ShardSplit{" + shardId + (parentShardId == null ? "" : " parent=" + parentShardId)
                + " from " + startingPosition + (finished ? " finished" : "") + '}';
    }
}
