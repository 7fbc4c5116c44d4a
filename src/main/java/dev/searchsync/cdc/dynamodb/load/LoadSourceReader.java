package dev.searchsync.cdc.dynamodb.load;

import dev.searchsync.cdc.dynamodb.ChangeRecord;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.RecordEmitter;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.core.io.InputStatus;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A load subtask: asks the enumerator for a segment whenever it has none, and tells it how far its segments got
 * (every few seconds, and when one is done), so the enumerator can report the whole load.
 */
final class LoadSourceReader
        extends SingleThreadMultiplexSourceReaderBase<ChangeRecord, ChangeRecord, SegmentSplit, SegmentSplitState> {
    static final long PROGRESS_INTERVAL_MILLIS = 5_000;

    /** Items emitted per segment being read; the emitter and this reader share it on the task's thread. */
    private final Map<Integer, Long> reading;
    private long lastProgressAt;

    LoadSourceReader(Supplier<SplitReader<ChangeRecord, SegmentSplit>> splitReader, Map<Integer, Long> reading,
            Configuration configuration, SourceReaderContext context) {
        super(splitReader, new Emitter(reading), configuration, context);
        this.reading = reading;
    }

    /** A reader with its own progress map. */
    static LoadSourceReader create(Supplier<SplitReader<ChangeRecord, SegmentSplit>> splitReader,
            Configuration configuration, SourceReaderContext context) {
        return new LoadSourceReader(splitReader, new HashMap<>(), configuration, context);
    }

    @Override
    public void start() {
        if (getNumberOfCurrentlyAssignedSplits() == 0) {
            context.sendSplitRequest();
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<ChangeRecord> output) throws Exception {
        InputStatus status = super.pollNext(output);
        long now = System.currentTimeMillis();
        if (now - lastProgressAt >= PROGRESS_INTERVAL_MILLIS && !reading.isEmpty()) {
            lastProgressAt = now;
            context.sendSourceEventToCoordinator(new LoadProgressEvent(reading, Map.of()));
        }
        return status;
    }

    @Override
    protected void onSplitFinished(Map<String, SegmentSplitState> finishedSplitIds) {
        Map<Integer, Long> finished = new TreeMap<>();
        finishedSplitIds.values().forEach(state -> {
            finished.put(state.segment(), state.itemsRead());
            reading.remove(state.segment());
        });
        context.sendSourceEventToCoordinator(new LoadProgressEvent(reading, finished));
        context.sendSplitRequest();
    }

    @Override
    protected SegmentSplitState initializedState(SegmentSplit split) {
        reading.put(split.segment(), split.itemsRead());
        return new SegmentSplitState(split);
    }

    @Override
    protected SegmentSplit toSplitType(String splitId, SegmentSplitState state) {
        return state.toSplit();
    }

    /** Emits each item's change and moves its segment's position past it. */
    private static final class Emitter implements RecordEmitter<ChangeRecord, ChangeRecord, SegmentSplitState> {
        private final Map<Integer, Long> reading;

        Emitter(Map<Integer, Long> reading) {
            this.reading = reading;
        }

        @Override
        public void emitRecord(ChangeRecord item, SourceOutput<ChangeRecord> output, SegmentSplitState state) {
            output.collect(item);
            state.emitted(item);
            reading.put(state.segment(), state.itemsRead());
        }
    }
}
