package dev.searchsync.source.enumerator;

import dev.searchsync.config.ShardSourceSettings;
import dev.searchsync.config.StartPosition;
import dev.searchsync.config.StreamChangePolicy;
import dev.searchsync.source.client.StreamNotFoundException;
import dev.searchsync.source.event.ReaderReadyEvent;
import dev.searchsync.source.event.RestoredShardsConfirmedEvent;
import dev.searchsync.source.event.ShardsFinishedAckEvent;
import dev.searchsync.source.event.ShardsFinishedEvent;
import dev.searchsync.source.event.StreamReplacedEvent;
import dev.searchsync.source.fake.FakeStream;
import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.StartingPosition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.groups.SplitEnumeratorMetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.util.FlinkRuntimeException;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.stream.Collectors;

/** The enumerator on Flink's testing context over a {@link FakeStream}: discovery, finish events, failures. */
class ShardSplitEnumeratorTest {
    private static final String STREAM = "arn:fake:stream/orders";
    private static final String NEW_STREAM = "arn:fake:stream/orders-recreated";

    private final FakeStream stream = new FakeStream(STREAM);
    private final RecordingContext context = new RecordingContext(2);
    private final ShardSplitEnumerator enumerator =
            new ShardSplitEnumerator(context, stream, ShardSourceSettings.defaults(), new ShardLineage());

    @Test
    void discoveryAssignsRootShardsToTheRegisteredReaders() {
        stream.createShard("A", null);
        stream.createShard("B", null);
        registerReaders(0, 1);

        enumerator.start();
        discover();

        assertThat(assigned()).isEqualTo(Map.of(0, List.of("A"), 1, List.of("B")));
        assertThat(context.getSplitAssignments().get(0).getAssignedSplits())
                .containsExactly(new ShardSplit(STREAM, "A", null, null, StartingPosition.trimHorizon(), false));
        assertThat(stream.listShardsCalls()).isEqualTo(1);
        assertThat(context.metrics.count("shardsDiscovered")).isEqualTo(2);
        assertThat(context.metrics.count("shardsAssigned")).isEqualTo(2);
        assertThat(context.metrics.gauge("shardsReading")).isEqualTo(2);
        assertThat(context.metrics.gauge("shardsWaiting")).isEqualTo(0);
    }

    @Test
    void shardsWaitUntilEveryReaderIsReadySoTheFirstReaderDoesNotTakeThemAll() {
        stream.createShard("A", null);
        stream.createShard("B", null);
        enumerator.start();
        discover();
        assertThat(assigned()).isEmpty();
        assertThat(context.metrics.gauge("shardsWaiting")).isEqualTo(2);

        registerReaders(1);
        assertThat(assigned()).as("shards are never moved: one reader must not take them all").isEmpty();
        registerReaders(0);

        assertThat(assigned()).isEqualTo(Map.of(0, List.of("A"), 1, List.of("B")));
    }

    @Test
    void childOfAShardFinishedOnSubtaskOneGoesToSubtaskOneAndTheFinishIsAcked() {
        stream.createShard("A", null);
        stream.createShard("B", null);
        enumerator.start();
        registerReaders(1);
        discover();
        registerReaders(0);
        String child = stream.rollover("B");
        discover();
        assertThat(assigned()).isEqualTo(Map.of(0, List.of("A"), 1, List.of("B")));

        enumerator.handleSourceEvent(1, new ShardsFinishedEvent(STREAM, List.of("B")));

        // Subtask 0 is as loaded and comes first on ties, yet the child follows its parent to subtask 1.
        assertThat(assigned()).isEqualTo(Map.of(0, List.of("A"), 1, List.of("B", child)));
        assertThat(acks()).isEqualTo(Map.of(1, List.of(List.of("B"))));
        assertThat(context.getExecutorService().numQueuedRunnables()).isZero();
        assertThat(context.metrics.count("shardsFinished")).isEqualTo(1);
    }

    @Test
    void finishedShardWithoutAKnownChildTriggersOneExtraDiscovery() {
        stream.createShard("A", null);
        stream.createShard("B", null);
        registerReaders(0, 1);
        enumerator.start();
        discover();
        String childOfA = stream.rollover("A");
        String childOfB = stream.rollover("B");

        enumerator.handleSourceEvent(0, new ShardsFinishedEvent(STREAM, List.of("A")));
        enumerator.handleSourceEvent(1, new ShardsFinishedEvent(STREAM, List.of("B")));

        assertThat(acks()).isEqualTo(Map.of(0, List.of(List.of("A")), 1, List.of(List.of("B"))));
        assertThat(context.getExecutorService().numQueuedRunnables()).isEqualTo(1);
        assertThat(stream.listShardsCalls()).isEqualTo(1);

        context.getExecutorService().trigger();

        assertThat(stream.listShardsCalls()).isEqualTo(2);
        assertThat(assigned()).isEqualTo(Map.of(0, List.of("A", childOfA), 1, List.of("B", childOfB)));
        assertThat(context.getExecutorService().numQueuedRunnables()).isZero();
    }

    @Test
    void repeatedFinishIsAckedAgainWithoutCountingOrDiscovering() {
        stream.createShard("A", null);
        registerReaders(0);
        enumerator.start();
        discover();
        stream.rollover("A");
        discover();
        enumerator.handleSourceEvent(0, new ShardsFinishedEvent(STREAM, List.of("A")));

        enumerator.handleSourceEvent(0, new ShardsFinishedEvent(STREAM, List.of("A")));

        assertThat(acks()).isEqualTo(Map.of(0, List.of(List.of("A"), List.of("A"))));
        assertThat(context.metrics.count("shardsFinished")).isEqualTo(1);
        assertThat(context.getExecutorService().numQueuedRunnables()).isZero();
    }

    @Test
    void splitsAddedBackReturnToTheSameSubtaskWhenItsReaderRegistersAgain() {
        stream.createShard("A", null);
        stream.createShard("B", null);
        registerReaders(0, 1);
        enumerator.start();
        discover();
        ShardSplit b = context.getSplitAssignments().get(1).getAssignedSplits().get(0);

        context.unregisterReader(1);
        enumerator.addSplitsBack(List.of(b), 1);
        discover();
        assertThat(assigned()).isEqualTo(Map.of(0, List.of("A"), 1, List.of("B")));

        registerReaders(1);

        assertThat(assigned()).isEqualTo(Map.of(0, List.of("A"), 1, List.of("B", "B")));
    }

    @Test
    void failedDiscoveryIsCountedAndTriedAgainOnTheNextInterval() {
        stream.createShard("A", null);
        stream.createShard("B", null);
        registerReaders(0, 1);
        enumerator.start();
        stream.failNextListShards(new RuntimeException("listing timed out"));

        discover();

        assertThat(assigned()).isEmpty();
        assertThat(context.metrics.count("shardDiscoveryFailures")).isEqualTo(1);
        assertThat(discoveryTask().isDone()).isFalse();

        discover();

        assertThat(assigned()).isEqualTo(Map.of(0, List.of("A"), 1, List.of("B")));
        assertThat(context.metrics.count("shardDiscoveryFailures")).isEqualTo(1);
    }

    @Test
    void missingStreamFailsTheEnumerator() {
        stream.createShard("A", null);
        registerReaders(0);
        enumerator.start();
        StreamNotFoundException notFound = new StreamNotFoundException("Table orders has no stream", null);
        stream.failNextListShards(notFound);

        discover();

        // The handler threw: on a real coordinator thread that fails the job.
        assertThat(discoveryTask().isDone()).isTrue();
        assertThatThrownBy(() -> discoveryTask().get())
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(FlinkRuntimeException.class)
                .hasMessage("Table orders has no stream")
                .cause()
                .isSameAs(notFound);
        assertThat(context.metrics.count("shardDiscoveryFailures")).isZero();
        assertThat(assigned()).isEmpty();
    }

    @Test
    void snapshotHoldsTheStreamAndEveryTrackedShard() {
        stream.createShard("A", null);
        String child = stream.rollover("A");
        registerReaders(1, 0);
        enumerator.start();
        discover();

        ShardEnumeratorState state = enumerator.snapshotState(1L);

        assertThat(state.streamId()).isEqualTo(STREAM);
        assertThat(state.shards()).extracting(TrackedShard::toString)
                .containsExactly("A:ASSIGNED@0", child + ":UNASSIGNED");
    }

    @Test
    void shardAssignedAndFinishedAfterTheLastCheckpointIsReadAgainWhenItsReaderFails() {
        stream.createShard("A", null);
        String child = stream.rollover("A");
        registerReaders(0, 1);
        enumerator.start();
        discover();
        enumerator.handleSourceEvent(0, new ShardsFinishedEvent(STREAM, List.of("A")));
        assertThat(assigned()).isEqualTo(Map.of(0, List.of("A", child)));

        // Subtask 0 fails before any checkpoint: Flink gives back both splits and restores it with no state.
        context.unregisterReader(0);
        enumerator.addSplitsBack(context.getSplitAssignments().get(0).getAssignedSplits(), 0);
        registerReaders(0);

        assertThat(assigned()).isEqualTo(Map.of(0, List.of("A", child, "A")));
    }

    @Test
    void childWaitsWhileItsParentIsReadAgainAfterItsReaderRestoresFromAnEarlierCheckpoint() throws Exception {
        stream.createShard("A", null);
        String child = stream.rollover("A");
        registerReaders(0, 1);
        enumerator.start();
        discover();
        enumerator.snapshotState(1L);
        enumerator.notifyCheckpointComplete(1L);
        enumerator.handleSourceEvent(0, new ShardsFinishedEvent(STREAM, List.of("A")));
        assertThat(assigned()).isEqualTo(Map.of(0, List.of("A", child)));

        // Subtask 0 fails; it restores checkpoint 1, where A is still being read. Flink gives back the child.
        context.unregisterReader(0);
        ShardSplit childSplit = context.getSplitAssignments().get(0).getAssignedSplits().get(1);
        enumerator.addSplitsBack(List.of(childSplit), 0);
        context.registerReader(0, "host-0");
        enumerator.addReader(0);
        assertThat(assigned()).as("nothing goes to a reader before it says what it restored")
                .isEqualTo(Map.of(0, List.of("A", child)));
        enumerator.handleSourceEvent(0, new ReaderReadyEvent(STREAM, List.of("A"), List.of()));

        assertThat(assigned()).as("the child must wait until A is reported finished again")
                .isEqualTo(Map.of(0, List.of("A", child)));
        enumerator.handleSourceEvent(0, new ShardsFinishedEvent(STREAM, List.of("A")));
        assertThat(assigned()).isEqualTo(Map.of(0, List.of("A", child, child)));
    }

    @Test
    void restoredStreamThatIsNoLongerTheConfiguredOneStopsTheJobNamingBothAndTheChoices() {
        // The checkpoint was taken while the job read STREAM; then the table was deleted and created again (or its
        // stream disabled and enabled), so the configured (or resolved) stream is another one, with the same shard
        // id as in moto.
        stream.createShard("A", null);
        ShardEnumeratorState checkpoint = new ShardEnumeratorState(STREAM, List.of(new TrackedShard(
                new ShardSplit(STREAM, "A", null, null, StartingPosition.trimHorizon(), false),
                ShardStatus.ASSIGNED, 0)));
        stream.replaceStream(NEW_STREAM);
        stream.createShard("A", null);
        RecordingContext restoredContext = new RecordingContext(2);
        ShardSplitEnumerator restored = new ShardSplitEnumerator(restoredContext, stream,
                ShardSourceSettings.defaults(), ShardLineage.restore(checkpoint));
        restored.start();
        restoredContext.registerReader(0, "host-0");
        restored.addReader(0);
        restored.handleSourceEvent(0, new ReaderReadyEvent(STREAM, List.of("A"), List.of()));
        restoredContext.registerReader(1, "host-1");
        restored.addReader(1);
        restored.handleSourceEvent(1, new ReaderReadyEvent(null, List.of(), List.of()));

        restoredContext.getExecutorService().triggerPeriodicScheduledTasks();

        ScheduledFuture<?> discovery = restoredContext.getExecutorService().getAllPeriodicScheduledTask().get(0);
        assertThat(discovery.isDone()).as("the job stops instead of reading a stream that gets no changes").isTrue();
        assertThatThrownBy(discovery::get)
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(FlinkRuntimeException.class)
                .hasMessageContaining(STREAM)
                .hasMessageContaining(NEW_STREAM)
                .hasMessageContaining("source/stream.change.policy=RESTART_FROM_TRIM_HORIZON");
        assertThat(restoredContext.getSplitAssignments()).isEmpty();
    }

    @Test
    void restoredStreamIsConfirmedByTheFirstListingBeforeAnyShardIsAssigned() {
        stream.createShard("A", null);
        String child = stream.rollover("A");
        ShardEnumeratorState checkpoint = new ShardEnumeratorState(STREAM, List.of(
                new TrackedShard(split(STREAM, "A"), ShardStatus.FINISHED, 1),
                new TrackedShard(new ShardSplit(STREAM, child, "A", null, StartingPosition.trimHorizon(), false),
                        ShardStatus.UNASSIGNED, -1)));
        Restored restored = new Restored(checkpoint, ShardSourceSettings.defaults());
        restored.ready(0, new ReaderReadyEvent(null, List.of(), List.of()));
        restored.ready(1, new ReaderReadyEvent(null, List.of(), List.of()));
        assertThat(restored.assigned()).as("a restored lineage waits until the stream is confirmed").isEmpty();
        assertThat(restored.events(0)).as("and readers read nothing they restored").isEmpty();

        restored.discover();

        assertThat(restored.events(0)).containsExactly(new RestoredShardsConfirmedEvent().toString());
        assertThat(restored.assigned()).isEqualTo(Map.of(1, List.of(child)));
        assertThat(restored.enumerator.snapshotState(2L).streamId()).isEqualTo(STREAM);
    }

    @Test
    void underRestartFromTrimHorizonTheNewStreamIsReadFromItsOldestRecordAndReadersDropTheOldShards() {
        stream.createShard("A", null);
        String oldChild = stream.rollover("A");
        ShardEnumeratorState checkpoint = new ShardEnumeratorState(STREAM, List.of(
                new TrackedShard(split(STREAM, "A"), ShardStatus.ASSIGNED, 0),
                new TrackedShard(new ShardSplit(STREAM, oldChild, "A", null, StartingPosition.trimHorizon(), false),
                        ShardStatus.UNASSIGNED, -1)));
        stream.replaceStream(NEW_STREAM);
        stream.createShard("A", null); // the same id as the old stream's shard, as moto gives
        stream.close("A");
        String newChild = stream.createShard("B", "A");
        // start.position=LATEST applies to a first run only: the new stream is read from its oldest record.
        Restored restored = new Restored(checkpoint, ShardSourceSettings.defaults()
                .withStreamChangePolicy(StreamChangePolicy.RESTART_FROM_TRIM_HORIZON)
                .withStartPosition(StartPosition.LATEST));
        restored.ready(0, new ReaderReadyEvent(STREAM, List.of("A"), List.of()));
        restored.ready(1, new ReaderReadyEvent(null, List.of(), List.of()));

        restored.discover();

        assertThat(restored.events(0)).containsExactly(new StreamReplacedEvent(STREAM, NEW_STREAM).toString());
        assertThat(restored.assigned()).as("nothing for a reader that holds the old stream's shards").isEmpty();
        ShardEnumeratorState state = restored.enumerator.snapshotState(2L);
        assertThat(state.streamId()).isEqualTo(NEW_STREAM);
        assertThat(state.shards()).extracting(TrackedShard::split).containsExactly(split(NEW_STREAM, "A"),
                new ShardSplit(NEW_STREAM, newChild, "A", null, StartingPosition.trimHorizon(), false));

        // The old shard A finished on subtask 0 before the reader heard of the new stream: acknowledged, ignored.
        restored.enumerator.handleSourceEvent(0, new ShardsFinishedEvent(STREAM, List.of("A")));
        assertThat(restored.enumerator.snapshotState(3L).shards()).extracting(TrackedShard::toString)
                .containsExactly("A:UNASSIGNED", newChild + ":UNASSIGNED");

        restored.enumerator.handleSourceEvent(0, new ReaderReadyEvent(null, List.of(), List.of()));

        assertThat(restored.assigned()).isEqualTo(Map.of(0, List.of("A")));
        assertThat(restored.context.getSplitAssignments().get(0).getAssignedSplits())
                .containsExactly(split(NEW_STREAM, "A"));
    }

    @Test
    void readerThatRestoresTheOldStreamAfterTheSwitchIsToldAgainAndItsOldSplitsAreNotTakenBack() {
        stream.createShard("A", null);
        ShardEnumeratorState checkpoint = new ShardEnumeratorState(STREAM, List.of(
                new TrackedShard(split(STREAM, "A"), ShardStatus.ASSIGNED, 0)));
        stream.replaceStream(NEW_STREAM);
        stream.createShard("A", null);
        Restored restored = new Restored(checkpoint, ShardSourceSettings.defaults()
                .withStreamChangePolicy(StreamChangePolicy.RESTART_FROM_TRIM_HORIZON));
        restored.ready(1, new ReaderReadyEvent(null, List.of(), List.of()));
        restored.ready(0, new ReaderReadyEvent(null, List.of(), List.of()));
        restored.discover();
        assertThat(restored.assigned()).isEqualTo(Map.of(0, List.of("A")));

        // Subtask 1 fails; Flink gives back a split of the old stream it had since the last checkpoint.
        restored.context.unregisterReader(1);
        restored.enumerator.addSplitsBack(List.of(split(STREAM, "A")), 1);
        restored.ready(1, new ReaderReadyEvent(STREAM, List.of("A"), List.of()));

        assertThat(restored.events(1)).as("after the confirmation of its first report")
                .endsWith(new StreamReplacedEvent(STREAM, NEW_STREAM).toString());
        assertThat(restored.enumerator.snapshotState(2L).shards()).extracting(TrackedShard::toString)
                .containsExactly("A:ASSIGNED@0");
        assertThat(restored.assigned()).isEqualTo(Map.of(0, List.of("A")));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static ShardSplit split(String streamId, String shardId) {
        return new ShardSplit(streamId, shardId, null, null, StartingPosition.trimHorizon(), false);
    }

    /** An enumerator restored from {@code checkpoint} over {@link #stream}, started, with its own context. */
    private final class Restored {
        final RecordingContext context = new RecordingContext(2);
        final ShardSplitEnumerator enumerator;

        Restored(ShardEnumeratorState checkpoint, ShardSourceSettings settings) {
            enumerator = new ShardSplitEnumerator(context, stream, settings, ShardLineage.restore(checkpoint));
            enumerator.start();
        }

        void ready(int subtask, ReaderReadyEvent event) {
            context.registerReader(subtask, "host-" + subtask);
            enumerator.addReader(subtask);
            enumerator.handleSourceEvent(subtask, event);
        }

        void discover() {
            context.getExecutorService().triggerPeriodicScheduledTasks();
        }

        Map<Integer, List<String>> assigned() {
            Map<Integer, List<String>> ids = new TreeMap<>();
            context.getSplitAssignments().forEach((subtask, state) -> ids.put(subtask,
                    state.getAssignedSplits().stream().map(ShardSplit::shardId).collect(Collectors.toList())));
            return ids;
        }

        /** The events sent to {@code subtask}, as text (events have no equals). */
        List<String> events(int subtask) {
            return context.getSentEvents().getOrDefault(subtask, List.of()).stream().map(Object::toString)
                    .collect(Collectors.toList());
        }
    }

    private void registerReaders(int... subtasks) {
        for (int subtask : subtasks) {
            context.registerReader(subtask, "host-" + subtask);
            enumerator.addReader(subtask);
            enumerator.handleSourceEvent(subtask, new ReaderReadyEvent(null, List.of(), List.of()));
        }
    }

    private void discover() {
        context.getExecutorService().triggerPeriodicScheduledTasks();
    }

    private ScheduledFuture<?> discoveryTask() {
        return context.getExecutorService().getAllPeriodicScheduledTask().get(0);
    }

    /** Every assignment so far, per subtask, in the order it was made. */
    private Map<Integer, List<String>> assigned() {
        Map<Integer, List<String>> ids = new TreeMap<>();
        context.getSplitAssignments().forEach((subtask, state) -> ids.put(subtask,
                state.getAssignedSplits().stream().map(ShardSplit::shardId).collect(Collectors.toList())));
        return ids;
    }

    /** The finish acknowledgements sent, per subtask; readers also get one confirmation each time they report. */
    private Map<Integer, List<List<String>>> acks() {
        Map<Integer, List<List<String>>> acks = new TreeMap<>();
        context.getSentEvents().forEach((subtask, events) -> {
            for (SourceEvent event : events) {
                assertThat(event).isInstanceOfAny(ShardsFinishedAckEvent.class, RestoredShardsConfirmedEvent.class);
            }
            List<List<String>> ids = events.stream().filter(e -> e instanceof ShardsFinishedAckEvent)
                    .map(e -> ((ShardsFinishedAckEvent) e).shardIds()).collect(Collectors.toList());
            if (!ids.isEmpty()) {
                acks.put(subtask, ids);
            }
        });
        return acks;
    }

    /** Flink's testing context, plus metrics a test can read and a way to make a reader go away. */
    private static final class RecordingContext extends TestingSplitEnumeratorContext<ShardSplit> {
        final RecordingMetricGroup metrics = new RecordingMetricGroup();

        RecordingContext(int parallelism) {
            super(parallelism);
        }

        @Override
        public SplitEnumeratorMetricGroup metricGroup() {
            return metrics;
        }

        void unregisterReader(int subtask) {
            registeredReaders().remove(subtask);
        }
    }

    /** Keeps the counters and gauges the enumerator registers. */
    private static final class RecordingMetricGroup extends UnregisteredMetricsGroup
            implements SplitEnumeratorMetricGroup {
        private final Map<String, Counter> counters = new HashMap<>();
        private final Map<String, Gauge<?>> gauges = new HashMap<>();

        @Override
        public Counter counter(String name) {
            return counter(name, new SimpleCounter());
        }

        @Override
        public <C extends Counter> C counter(String name, C counter) {
            counters.put(name, counter);
            return counter;
        }

        @Override
        public <T, G extends Gauge<T>> G gauge(String name, G gauge) {
            gauges.put(name, gauge);
            return gauge;
        }

        @Override
        public <G extends Gauge<Long>> G setUnassignedSplitsGauge(G gauge) {
            return gauge;
        }

        long count(String name) {
            return counters.get(name).getCount();
        }

        Object gauge(String name) {
            return gauges.get(name).getValue();
        }
    }
}
