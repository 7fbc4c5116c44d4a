package dev.searchsync.source.reader;

import dev.searchsync.source.event.ReaderReadyEvent;
import dev.searchsync.source.event.ShardsFinishedAckEvent;
import dev.searchsync.source.event.ShardsFinishedEvent;
import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.ShardSplitState;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Runs on each source subtask. Besides the usual bookkeeping it tells the enumerator when a shard is done, and
 * keeps that fact in its checkpoints until the enumerator has acknowledged it: otherwise a restore could pair an
 * enumerator that still waits for a parent with a reader that already dropped it, and the child would never start.
 */
public final class ShardSourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<FetchedRecord<T>, T, ShardSplit, ShardSplitState> {

    private final Map<String, ShardSplit> finishedAwaitingAck = new TreeMap<>();
    /** Shards restored from a checkpoint, reported to the enumerator when the reader starts. */
    private final List<String> restored = new ArrayList<>();
    private boolean started;

    public ShardSourceReader(
            Supplier<SplitReader<FetchedRecord<T>, ShardSplit>> splitReaderSupplier,
            ShardRecordEmitter<T> emitter,
            Configuration configuration,
            SourceReaderContext context) {
        super(splitReaderSupplier, emitter, configuration, context);
    }

    @Override
    public void start() {
        // Shards are pushed by the enumerator; it waits for this report before handing this reader any.
        started = true;
        context.sendSourceEventToCoordinator(
                new ReaderReadyEvent(restored, new ArrayList<>(finishedAwaitingAck.keySet())));
    }

    @Override
    public void addSplits(List<ShardSplit> splits) {
        List<ShardSplit> toRead = new ArrayList<>();
        for (ShardSplit split : splits) {
            if (split.isFinished()) {
                finishedAwaitingAck.put(split.shardId(), split);
            } else {
                toRead.add(split);
                if (!started) {
                    restored.add(split.shardId());
                }
            }
        }
        if (!toRead.isEmpty()) {
            super.addSplits(toRead);
        }
    }

    @Override
    protected void onSplitFinished(Map<String, ShardSplitState> finishedSplitIds) {
        List<String> ids = new ArrayList<>(finishedSplitIds.keySet());
        finishedSplitIds.forEach((id, state) -> finishedAwaitingAck.put(id, state.toCheckpointedSplit().asFinished()));
        context.sendSourceEventToCoordinator(new ShardsFinishedEvent(ids));
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (event instanceof ShardsFinishedAckEvent) {
            ((ShardsFinishedAckEvent) event).shardIds().forEach(finishedAwaitingAck::remove);
        }
    }

    @Override
    public List<ShardSplit> snapshotState(long checkpointId) {
        List<ShardSplit> state = new ArrayList<>(super.snapshotState(checkpointId));
        state.addAll(finishedAwaitingAck.values());
        return state;
    }

    @Override
    protected ShardSplitState initializedState(ShardSplit split) {
        return new ShardSplitState(split);
    }

    @Override
    protected ShardSplit toSplitType(String splitId, ShardSplitState state) {
        return state.toCheckpointedSplit();
    }
}
