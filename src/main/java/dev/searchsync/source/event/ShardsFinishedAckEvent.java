package dev.searchsync.source.event;

import org.apache.flink.api.connector.source.SourceEvent;

import java.util.List;

/**
 * Enumerator to reader: the finish of these shards is recorded. Until it arrives, the reader keeps the finished
 * shards in its checkpoints, so a restore never loses the fact that a parent is done.
 */
public final class ShardsFinishedAckEvent implements SourceEvent {
    private static final long serialVersionUID = 1L;

    private final List<String> shardIds;

    public ShardsFinishedAckEvent(List<String> shardIds) {
        this.shardIds = List.copyOf(shardIds);
    }

    public List<String> shardIds() {
        return shardIds;
    }

    @Override
    public String toString() {
        return "ShardsFinishedAckEvent" + shardIds;
    }
}
