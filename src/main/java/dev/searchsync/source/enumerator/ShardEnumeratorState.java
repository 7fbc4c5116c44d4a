package dev.searchsync.source.enumerator;

import java.util.List;

/** What the enumerator checkpoints: the stream it resolved and every shard it still tracks, with lineage and status. */
public final class ShardEnumeratorState {
    private final String streamId;
    private final List<TrackedShard> shards;

    public ShardEnumeratorState(String streamId, List<TrackedShard> shards) {
        this.streamId = streamId;
        this.shards = List.copyOf(shards);
    }

    /** Null until the first discovery resolved the stream. */
    public String streamId() {
        return streamId;
    }

    public List<TrackedShard> shards() {
        return shards;
    }

    @Override
    public String toString() {
        return "ShardEnumeratorState{" + streamId + ", " + shards + '}';
    }
}
