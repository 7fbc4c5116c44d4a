package dev.searchsync.source.event;

import org.apache.flink.api.connector.source.SourceEvent;

import java.util.List;

/** Reader to enumerator: these shards of {@code streamId} were read to their end and every record was emitted. */
public final class ShardsFinishedEvent implements SourceEvent {
    private static final long serialVersionUID = 1L;

    private final String streamId;
    private final List<String> shardIds;

    public ShardsFinishedEvent(String streamId, List<String> shardIds) {
        this.streamId = streamId;
        this.shardIds = List.copyOf(shardIds);
    }

    /** Shard ids are unique within a stream only: a replaced stream's may come back in the new one. */
    public String streamId() {
        return streamId;
    }

    public List<String> shardIds() {
        return shardIds;
    }

    @Override
    public String toString() {
        return "ShardsFinishedEvent{" + streamId + ", " + shardIds + '}';
    }
}
