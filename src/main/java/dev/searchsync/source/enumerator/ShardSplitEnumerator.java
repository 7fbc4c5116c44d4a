package dev.searchsync.source.enumerator;

import dev.searchsync.source.ShardSourceSettings;
import dev.searchsync.source.client.ShardInfo;
import dev.searchsync.source.client.StreamNotFoundException;
import dev.searchsync.source.client.StreamShardClient;
import dev.searchsync.source.event.ReaderReadyEvent;
import dev.searchsync.source.event.ShardsFinishedAckEvent;
import dev.searchsync.source.event.ShardsFinishedEvent;
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
    /** Read by the discovery worker thread; the lineage itself stays on the coordinator thread. */
    private volatile String streamId;
    private boolean extraDiscoveryPending;
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

    /** Runs on the coordinator's worker thread: only remote calls, no state. */
    private Discovery discover() {
        String id = streamId != null ? streamId : client.resolveStreamId();
        return new Discovery(id, client.listShards(id));
    }

    private void onDiscovery(Discovery discovery, Throwable error) {
        extraDiscoveryPending = false;
        if (error != null) {
            if (error instanceof StreamNotFoundException) {
                throw new FlinkRuntimeException(error.getMessage(), error);
            }
            discoveryFailures.inc();
            LOG.warn("Listing the shards failed; trying again in {} ms", settings.shardDiscoveryIntervalMillis(),
                    error);
            return;
        }
        streamId = discovery.streamId;
        List<ShardSplit> added = lineage.onListing(discovery.streamId, discovery.shards, settings.startPosition(),
                System.currentTimeMillis());
        if (!added.isEmpty()) {
            shardsDiscovered.inc(added.size());
            LOG.info("Discovered {} new shard(s) of {}: {}", added.size(), discovery.streamId, added);
        }
        assignReadyShards();
    }

    private void assignReadyShards() {
        Set<Integer> readers = new HashSet<>(context.registeredReaders().keySet());
        readers.retainAll(readyReaders);
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
        List<String> finished;
        List<String> newlyFinished;
        if (event instanceof ShardsFinishedEvent) {
            finished = ((ShardsFinishedEvent) event).shardIds();
            newlyFinished = new ArrayList<>();
            for (String shardId : finished) {
                if (lineage.markFinished(shardId, subtaskId)) {
                    newlyFinished.add(shardId);
                }
            }
        } else if (event instanceof ReaderReadyEvent) {
            ReaderReadyEvent ready = (ReaderReadyEvent) event;
            LOG.info("Subtask {} is ready: {}", subtaskId, ready);
            finished = ready.finishedShardIds();
            newlyFinished = lineage.onReaderReady(subtaskId, ready.readingShardIds(), finished);
            readyReaders.add(subtaskId);
        } else {
            LOG.warn("Ignoring unexpected event {} from subtask {}", event, subtaskId);
            return;
        }
        boolean childMissing = false;
        for (String shardId : newlyFinished) {
            shardsFinished.inc();
            LOG.info("Shard {} finished on subtask {}", shardId, subtaskId);
            childMissing |= !lineage.hasChild(shardId);
        }
        if (!finished.isEmpty()) {
            context.sendEventToSourceReader(subtaskId, new ShardsFinishedAckEvent(finished));
        }
        assignReadyShards();
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
        lineage.returnSplits(new ArrayList<>(splits), subtaskId);
        assignReadyShards();
    }

    @Override
    public void addReader(int subtaskId) {
        // A (re)registered reader is not ready until it has said which shards it restored.
        readyReaders.remove(subtaskId);
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        // Shards are pushed as they become ready; readers never ask.
    }

    @Override
    public ShardEnumeratorState snapshotState(long checkpointId) {
        return lineage.snapshot();
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
