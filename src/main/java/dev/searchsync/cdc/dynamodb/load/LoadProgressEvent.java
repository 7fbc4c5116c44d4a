package dev.searchsync.cdc.dynamodb.load;

import org.apache.flink.api.connector.source.SourceEvent;

import java.util.Map;

/**
 * A load subtask's progress, for the enumerator's metrics, progress lines and final line: items emitted so far by
 * each segment it reads, and the segments it has finished with their totals.
 */
final class LoadProgressEvent implements SourceEvent {
    private static final long serialVersionUID = 1L;

    private final Map<Integer, Long> reading;
    private final Map<Integer, Long> finished;

    LoadProgressEvent(Map<Integer, Long> reading, Map<Integer, Long> finished) {
        this.reading = Map.copyOf(reading);
        this.finished = Map.copyOf(finished);
    }

    Map<Integer, Long> reading() {
        return reading;
    }

    Map<Integer, Long> finished() {
        return finished;
    }

    @Override
    public String toString() {
        return "LoadProgressEvent{reading=" + reading + ", finished=" + finished + '}';
    }
}
