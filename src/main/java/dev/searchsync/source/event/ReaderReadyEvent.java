package dev.searchsync.source.event;

import org.apache.flink.api.connector.source.SourceEvent;

import java.util.List;

/**
 * Reader to enumerator, once per (re)start and again after it dropped a replaced stream's shards: the shards it
 * restored, and those it finished but has not seen acknowledged, all of stream {@code streamId}. After a failure
 * the enumerator's view may be ahead of the checkpoint the reader restored; until this arrives it hands that reader
 * nothing, so a child is never started beside its parent. The reader reads what it restored only once the
 * enumerator answers with {@link RestoredShardsConfirmedEvent}, not {@link StreamReplacedEvent}.
 */
public final class ReaderReadyEvent implements SourceEvent {
    private static final long serialVersionUID = 1L;

    private final String streamId;
    private final List<String> readingShardIds;
    private final List<String> finishedShardIds;

    /** {@code streamId} is null when the reader holds no shard. */
    public ReaderReadyEvent(String streamId, List<String> readingShardIds, List<String> finishedShardIds) {
        this.streamId = streamId;
        this.readingShardIds = List.copyOf(readingShardIds);
        this.finishedShardIds = List.copyOf(finishedShardIds);
    }

    /** The stream every reported shard belongs to; null when there are none. */
    public String streamId() {
        return streamId;
    }

    public List<String> readingShardIds() {
        return readingShardIds;
    }

    public List<String> finishedShardIds() {
        return finishedShardIds;
    }

    @Override
    public String toString() {
        return "ReaderReadyEvent{stream=" + streamId + ", reading=" + readingShardIds + ", finished="
                + finishedShardIds + '}';
    }
}
