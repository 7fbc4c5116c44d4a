package dev.searchsync.source.event;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Enumerator to reader, in answer to its {@link ReaderReadyEvent}: the job now reads {@code newStreamId}, so the
 * reader drops the shards of {@code oldStreamId} it restored, unread, and says it is ready again; only then does it
 * get shards of the new stream (whose ids may be the same).
 */
public final class StreamReplacedEvent implements SourceEvent {
    private static final long serialVersionUID = 1L;

    private final String oldStreamId;
    private final String newStreamId;

    public StreamReplacedEvent(String oldStreamId, String newStreamId) {
        this.oldStreamId = oldStreamId;
        this.newStreamId = newStreamId;
    }

    public String oldStreamId() {
        return oldStreamId;
    }

    public String newStreamId() {
        return newStreamId;
    }

    @Override
    public String toString() {
        return "StreamReplacedEvent{" + oldStreamId + " -> " + newStreamId + '}';
    }
}
