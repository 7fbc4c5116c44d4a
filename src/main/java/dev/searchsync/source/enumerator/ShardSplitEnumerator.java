package dev.searchsync.source.enumerator;

import dev.searchsync.config.ShardSourceSettings;
import dev.searchsync.config.StartPosition;
import dev.searchsync.config.StreamChangePolicy;
import dev.searchsync.source.client.ShardInfo;
import dev.searchsync.source.client.StreamNotFoundException;
import dev.searchsync.source.client.StreamShardClient;
import dev.searchsync.source.event.ReaderReadyEvent;
import dev.searchsync.source.event.RestoredShardsConfirmedEvent;
import dev.searchsync.source.event.ShardsFinishedAckEvent;
import dev.searchsync.source.event.ShardsFinishedEvent;
import dev.searchsync.source.event.StreamReplacedEvent;
import dev.searchsync.source.split.ShardSplit;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.connector.source.SplitsAssignment;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.util.FlinkRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs on the JobManager: lists the stream's shards periodically and hands each to a reader in lineage order
 * ({@link ShardLineage} holds the rules).
 */
public final class ShardSplitEnumerator implements SplitEnumerator<ShardSplit, ShardEnumeratorState> {
    private static final Logger LOG = LoggerFactory.getLogger(ShardSplitEnumerator.class);

    private final SplitEnumeratorContext<ShardSplit> context;
    private final StreamShardClient<?> client;
    private final ShardSourceSettings settings;
    private final ShardLineage lineage;
    private final Counter shardsDiscovered;
    private final Counter shardsAssigned;
    private final Counter shardsFinished;
    private final Counter discoveryFailures;
    /** Subtasks whose reader has said what it holds since it (re)started; only they get shards. */
    private final Set<Integer> readyReaders = new HashSet<>();
    /** Reader reports that arrived before the stream was confirmed; handled once it is. */
    private final Map<Integer, ReaderReadyEvent> pendingReady = new TreeMap<>();
    /** Read by the discovery worker thread; the lineage itself stays on the coordinator thread. */
    private volatile String streamId;
    /**
     * False until a listing has shown which stream the configuration names now. Until then a restored lineage is
     * not trusted: nothing is assigned, and reader reports wait.
     */
    private volatile boolean streamConfirmed;
    private boolean extraDiscoveryPending;
    /**
     * False until every subtask has been ready once since this enumerator started. Until then nothing is assigned:
     * shards go to the least loaded ready reader and are never moved, so handing out the first listing to the
     * first reader that registers would leave the others idle for good.
     */
    private boolean allReadersSeen;
    private volatile int shardsWaiting;
    private volatile int shardsReading;

    public ShardSplitEnumerator(
            SplitEnumeratorContext<ShardSplit> context,
            StreamShardClient<?> client,
            ShardSourceSettings settings,
            ShardLineage lineage) {
        this.context = context;
        this.client = client;
        this.settings = settings;
        this.lineage = lineage;
        this.streamId = lineage.streamId();
        MetricGroup metrics = context.metricGroup();
        this.shardsDiscovered = metrics.counter("shardsDiscovered");
        this.shardsAssigned = metrics.counter("shardsAssigned");
        this.shardsFinished = metrics.counter("shardsFinished");
        this.discoveryFailures = metrics.counter("shardDiscoveryFailures");
        // Reporters read gauges from their own thread: give them copies, never the lineage itself.
        metrics.gauge("shardsWaiting", () -> shardsWaiting);
        metrics.gauge("shardsReading", () -> shardsReading);
    }

    @Override
    public void start() {
        context.callAsync(this::discover, this::onDiscovery, 0, settings.shardDiscoveryIntervalMillis());
    }

    /**
     * Runs on the coordinator's worker thread: only remote calls, no state. The first listing after a (re)start
     * resolves the configured stream again (a table name may now lead to another stream), so that a restored
     * checkpoint of another stream is noticed instead of read on.
     */
    private Discovery discover() {
        if (streamConfirmed) {
            return new Discovery(streamId, client.listShards(streamId));
        }
        String restored = streamId;
        String configured = client.resolveStreamId();
        if (restored != null && !restored.equals(configured)
                && settings.streamChangePolicy() == StreamChangePolicy.FAIL) {
            throw new StreamChangedException(restored, configured);
        }
        return new Discovery(configured, client.listShards(configured));
    }

    private void onDiscovery(Discovery discovery, Throwable error) {
        extraDiscoveryPending = false;
        if (error != null) {
            if (error instanceof StreamNotFoundException || error instanceof StreamChangedException) {
                throw new FlinkRuntimeException(error.getMessage(), error);
            }
            discoveryFailures.inc();
            LOG.warn("Listing the shards failed; trying again in {} ms", settings.shardDiscoveryIntervalMillis(),
                    error);
            return;
        }
        StartPosition startPosition = settings.startPosition();
        boolean confirming = !streamConfirmed;
        if (confirming && lineage.streamId() != null && !lineage.streamId().equals(discovery.streamId)) {
            replaceStream(lineage.streamId(), discovery.streamId);
            startPosition = StartPosition.TRIM_HORIZON;
        }
        streamId = discovery.streamId;
        streamConfirmed = true;
        List<ShardSplit> added = lineage.onListing(discovery.streamId, discovery.shards, startPosition,
                settings.startTimestampMillis(), System.currentTimeMillis());
        if (!added.isEmpty()) {
            shardsDiscovered.inc(added.size());
            LOG.info("Discovered {} new shard(s) of {}: {}", added.size(), discovery.streamId, added);
        }
        if (confirming) {
            Map<Integer, ReaderReadyEvent> pending = new TreeMap<>(pendingReady);
            pendingReady.clear();
            pending.forEach(this::onReaderReady);
        }
        assignReadyShards();
    }

    /**
     * The restored checkpoint was reading {@code restored}, the configuration names {@code configured} now, and
     * {@link StreamChangePolicy#RESTART_FROM_TRIM_HORIZON} says to go on: forget the old stream, so that the new
     * one is read from its oldest record. Readers still holding the old stream's shards are told when they report.
     */
    private void replaceStream(String restored, String configured) {
        List<TrackedShard> dropped = lineage.replaceStream();
        LOG.warn("The snapshot this job restored was reading the stream {}, the configuration names {}: as"
                + " source/stream.change.policy=RESTART_FROM_TRIM_HORIZON says, the job now reads {} from its"
                + " oldest record and leaves the old stream's shards where they were: {}", restored, configured,
                configured, dropped);
    }

    private void assignReadyShards() {
        shardsWaiting = lineage.count(ShardStatus.UNASSIGNED);
        shardsReading = lineage.count(ShardStatus.ASSIGNED);
        if (!streamConfirmed) {
            return;
        }
        Set<Integer> readers = new HashSet<>(context.registeredReaders().keySet());
        readers.retainAll(readyReaders);
        if (!allReadersSeen) {
            if (readers.size() < context.currentParallelism()) {
                return;
            }
            allReadersSeen = true;
        }
        Map<Integer, List<ShardSplit>> assignment = lineage.assign(readers, context.currentParallelism());
        shardsWaiting = lineage.count(ShardStatus.UNASSIGNED);
        shardsReading = lineage.count(ShardStatus.ASSIGNED);
        if (assignment.isEmpty()) {
            return;
        }
        int count = assignment.values().stream().mapToInt(List::size).sum();
        shardsAssigned.inc(count);
        LOG.info("Assigning shards: {}", assignment);
        context.assignSplits(new SplitsAssignment<>(assignment));
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (event instanceof ShardsFinishedEvent) {
            ShardsFinishedEvent done = (ShardsFinishedEvent) event;
            List<String> newlyFinished = List.of();
            if (done.streamId().equals(lineage.streamId())) {
                newlyFinished = lineage.onFinished(done.shardIds(), subtaskId);
            } else {
                LOG.info("Subtask {} finished shards {} of {}, a stream this job no longer reads", subtaskId,
                        done.shardIds(), done.streamId());
            }
            acknowledgeFinished(subtaskId, done.shardIds(), newlyFinished);
        } else if (event instanceof ReaderReadyEvent) {
            ReaderReadyEvent ready = (ReaderReadyEvent) event;
            LOG.info("Subtask {} is ready: {}", subtaskId, ready);
            if (streamConfirmed) {
                onReaderReady(subtaskId, ready);
            } else {
                pendingReady.put(subtaskId, ready);
            }
        } else {
            LOG.warn("Ignoring unexpected event {} from subtask {}", event, subtaskId);
            return;
        }
        assignReadyShards();
    }

    /** Reconciles a (re)started reader's report, once the stream is confirmed; the caller assigns. */
    private void onReaderReady(int subtaskId, ReaderReadyEvent ready) {
        if (ready.streamId() != null && !ready.streamId().equals(lineage.streamId())) {
            // Its shards are not this stream's, even where their ids are the same: it drops them, unread, and
            // reports again.
            LOG.warn("Subtask {} restored shards {} of the stream {}, which this job no longer reads; it drops them",
                    subtaskId, ready.readingShardIds(), ready.streamId());
            context.sendEventToSourceReader(subtaskId, new StreamReplacedEvent(ready.streamId(), lineage.streamId()));
            return;
        }
        List<String> newlyFinished = lineage.onReaderReady(subtaskId, ready.readingShardIds(),
                ready.finishedShardIds());
        readyReaders.add(subtaskId);
        context.sendEventToSourceReader(subtaskId, new RestoredShardsConfirmedEvent());
        acknowledgeFinished(subtaskId, ready.finishedShardIds(), newlyFinished);
    }

    private void acknowledgeFinished(int subtaskId, List<String> finished, List<String> newlyFinished) {
        boolean childMissing = false;
        for (String shardId : newlyFinished) {
            shardsFinished.inc();
            LOG.info("Shard {} finished on subtask {}", shardId, subtaskId);
            childMissing |= !lineage.hasChild(shardId);
        }
        if (!finished.isEmpty()) {
            context.sendEventToSourceReader(subtaskId, new ShardsFinishedAckEvent(finished));
        }
        if (childMissing && !extraDiscoveryPending) {
            // A closed shard's children exist once it closes: look now instead of waiting a full interval.
            extraDiscoveryPending = true;
            context.callAsync(this::discover, this::onDiscovery);
        }
    }

    @Override
    public void addSplitsBack(List<ShardSplit> splits, int subtaskId) {
        LOG.info("Subtask {} restarts; {} go back to it once it is ready", subtaskId, splits);
        readyReaders.remove(subtaskId);
        pendingReady.remove(subtaskId);
        lineage.returnSplits(new ArrayList<>(splits), subtaskId);
        assignReadyShards();
    }

    @Override
    public void addReader(int subtaskId) {
        // A (re)registered reader is not ready until it has said which shards it restored.
        readyReaders.remove(subtaskId);
        pendingReady.remove(subtaskId);
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Shards are pushed as they become ready; readers never ask.
    }

    @Override
    public ShardEnumeratorState snapshotState(long checkpointId) {
        lineage.onCheckpoint(checkpointId);
        return lineage.snapshot();
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
        if (lineage.onCheckpointComplete(checkpointId)) {
            assignReadyShards();
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** One listing, carried from the worker thread to the coordinator thread. */
    private static final class Discovery {
        final String streamId;
        final List<ShardInfo> shards;

        Discovery(String streamId, List<ShardInfo> shards) {
            this.streamId = streamId;
            this.shards = shards;
        }
    }
}
