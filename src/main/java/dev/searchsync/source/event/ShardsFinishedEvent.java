package dev.searchsync.source.event;

import org.apache.flink.api.connector.source.SourceEvent;

import java.util.List;

/** Reader to enumerator: these shards were read to their end and every record of them was emitted. */
public final class ShardsFinishedEvent implements SourceEvent {
    private static final long serialVersionUID = 1L;

    private final List<String> shardIds;

    public ShardsFinishedEvent(List<String> shardIds) {
        this.shardIds = List.copyOf(shardIds);
    }

    public List<String> shardIds() {
        return shardIds;
    }

    @Override
    public String toString() {
        return "ShardsFinishedEvent" + shardIds;
    }
}
