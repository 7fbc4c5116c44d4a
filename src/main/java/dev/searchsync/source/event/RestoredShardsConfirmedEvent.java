package dev.searchsync.source.event;

import org.apache.flink.api.connector.source.SourceEvent;

/**
 * Enumerator to reader, in answer to its {@link ReaderReadyEvent}: the shards it restored belong to the stream the
 * job reads, so it may read them. Until this arrives a restored reader reads nothing, so shards of a stream the
 * job no longer reads are never touched.
 */
public final class RestoredShardsConfirmedEvent implements SourceEvent {
    private static final long serialVersionUID = 1L;

    @Override
    public String toString() {
        return "RestoredShardsConfirmedEvent";
    }
}
