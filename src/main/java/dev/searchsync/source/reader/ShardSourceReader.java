package dev.searchsync.source.reader;

import dev.searchsync.source.event.ReaderReadyEvent;
import dev.searchsync.source.event.RestoredShardsConfirmedEvent;
import dev.searchsync.source.event.ShardsFinishedAckEvent;
import dev.searchsync.source.event.ShardsFinishedEvent;
import dev.searchsync.source.event.StreamReplacedEvent;
import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.ShardSplitState;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.base.source.reader.SingleThreadMultiplexSourceReaderBase;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Runs on each source subtask. Besides the usual bookkeeping it tells the enumerator when a shard is done, and
 * keeps that fact in its checkpoints until the enumerator has acknowledged it: otherwise a restore could pair an
 * enumerator that still waits for a parent with a reader that already dropped it, and the child would never start.
 * What it restores it reads only once the enumerator has confirmed the stream: after the table was recreated or
 * its stream re-enabled, the old stream's shards are never read against anything.
 */
public final class ShardSourceReader<T>
        extends SingleThreadMultiplexSourceReaderBase<FetchedRecord<T>, T, ShardSplit, ShardSplitState> {
    private static final Logger LOG = LoggerFactory.getLogger(ShardSourceReader.class);

    private final Map<String, ShardSplit> finishedAwaitingAck = new TreeMap<>();
    /** Restored shards, unread until the enumerator confirms their stream; kept in checkpoints meanwhile. */
    private final List<ShardSplit> awaitingConfirmation = new ArrayList<>();
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
        reportReady();
    }

    @Override
    public void addSplits(List<ShardSplit> splits) {
        List<ShardSplit> toRead = new ArrayList<>();
        for (ShardSplit split : splits) {
            if (split.isFinished()) {
                finishedAwaitingAck.put(split.shardId(), split);
            } else if (!started) {
                awaitingConfirmation.add(split); // restored from a checkpoint
            } else {
                toRead.add(split); // handed out by the enumerator, of the stream it reads
            }
        }
        if (!toRead.isEmpty()) {
            super.addSplits(toRead);
        }
    }

    @Override
    protected void onSplitFinished(Map<String, ShardSplitState> finishedSplitIds) {
        Map<String, List<String>> finishedByStream = new TreeMap<>();
        finishedSplitIds.forEach((id, state) -> {
            ShardSplit split = state.toCheckpointedSplit().asFinished();
            finishedAwaitingAck.put(id, split);
            finishedByStream.computeIfAbsent(split.streamId(), s -> new ArrayList<>()).add(id);
        });
        finishedByStream.forEach((stream, ids) ->
                context.sendSourceEventToCoordinator(new ShardsFinishedEvent(stream, ids)));
    }

    @Override
    public void handleSourceEvents(SourceEvent event) {
        if (event instanceof ShardsFinishedAckEvent) {
            ((ShardsFinishedAckEvent) event).shardIds().forEach(finishedAwaitingAck::remove);
        } else if (event instanceof RestoredShardsConfirmedEvent) {
            List<ShardSplit> confirmed = new ArrayList<>(awaitingConfirmation);
            awaitingConfirmation.clear();
            if (!confirmed.isEmpty()) {
                super.addSplits(confirmed);
            }
        } else if (event instanceof StreamReplacedEvent) {
            StreamReplacedEvent replaced = (StreamReplacedEvent) event;
            List<ShardSplit> dropped = awaitingConfirmation.stream()
                    .filter(split -> split.streamId().equals(replaced.oldStreamId())).collect(Collectors.toList());
            awaitingConfirmation.removeAll(dropped);
            finishedAwaitingAck.values().removeIf(split -> split.streamId().equals(replaced.oldStreamId()));
            LOG.warn("The job now reads the stream {} instead of {} (source/stream.change.policy="
                    + "RESTART_FROM_TRIM_HORIZON): this reader drops, unread, the old stream's shards from the"
                    + " positions the snapshot held: {}", replaced.newStreamId(), replaced.oldStreamId(), dropped);
            reportReady();
        }
    }

    @Override
    public List<ShardSplit> snapshotState(long checkpointId) {
        List<ShardSplit> state = new ArrayList<>(super.snapshotState(checkpointId));
        state.addAll(awaitingConfirmation);
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

    /** Says what this reader restored and has not read yet, and what it finished that is not acknowledged. */
    private void reportReady() {
        Set<String> streams = new TreeSet<>();
        awaitingConfirmation.forEach(split -> streams.add(split.streamId()));
        finishedAwaitingAck.values().forEach(split -> streams.add(split.streamId()));
        if (streams.size() > 1) {
            // One checkpoint holds one stream's shards: the enumerator never mixes them.
            throw new IllegalStateException("Restored shards of more than one stream: " + awaitingConfirmation
                    + ", finished " + finishedAwaitingAck.values());
        }
        String stream = streams.isEmpty() ? null : streams.iterator().next();
        List<String> reading = awaitingConfirmation.stream().map(ShardSplit::shardId).collect(Collectors.toList());
        context.sendSourceEventToCoordinator(
                new ReaderReadyEvent(stream, reading, new ArrayList<>(finishedAwaitingAck.keySet())));
    }
}
