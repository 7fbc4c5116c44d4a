package dev.searchsync.source.event;

import org.apache.flink.api.connector.source.SourceEvent;

import java.util.List;

/**
 * Reader to enumerator, once per (re)start: the shards it restored and is reading, and those it finished but
 * has not seen acknowledged. After a failure the enumerator's view may be ahead of the checkpoint the reader
 * restored; until this arrives it hands that reader nothing, so a child is never started beside its parent.
 */
public final class ReaderReadyEvent implements SourceEvent {
    private static final long serialVersionUID = 1L;

    private final List<String> readingShardIds;
    private final List<String> finishedShardIds;

    public ReaderReadyEvent(List<String> readingShardIds, List<String> finishedShardIds) {
        this.readingShardIds = List.copyOf(readingShardIds);
        this.finishedShardIds = List.copyOf(finishedShardIds);
    }

    public List<String> readingShardIds() {
        return readingShardIds;
    }

    public List<String> finishedShardIds() {
        return finishedShardIds;
    }

    @Override
    public String toString() {
        return "ReaderReadyEvent{reading=" + readingShardIds + ", finished=" + finishedShardIds + '}';
    }
}
