package dev.searchsync.cdc.dynamodb.load;

import org.apache.flink.connector.testutils.source.reader.TestingSplitEnumeratorContext;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The load's enumerator: its version rule, one segment per request, segments given back, and what it checkpoints. */
class LoadEnumeratorTest {
    private static final long NOW = Instant.parse("2026-12-01T10:00:00.750Z").toEpochMilli();

    @Test
    void theLoadsVersionIsJustBelowTheFirstSecondOfItsMargin() {
        LoadState load = LoadEnumerator.newLoad(NOW, Duration.ofSeconds(60), 3);

        long marginStart = Instant.parse("2026-12-01T09:59:00Z").getEpochSecond();
        assertThat(load.loadVersion).isEqualTo(marginStart * 1_000_000 - 1);
        assertThat(load.unassigned).extracting(SegmentSplit::segment).containsExactly(0, 1, 2);
        assertThat(load.unassigned).allSatisfy(split -> {
            assertThat(split.totalSegments()).isEqualTo(3);
            assertThat(split.loadVersion()).isEqualTo(load.loadVersion);
            assertThat(split.startAfterKey()).isNull();
        });
    }

    @Test
    void eachRequestGetsOneSegmentUntilNoneAreLeft() {
        TestingSplitEnumeratorContext<SegmentSplit> context = new TestingSplitEnumeratorContext<>(2);
        LoadEnumerator enumerator = enumerator(context, LoadEnumerator.newLoad(NOW, Duration.ofSeconds(60), 2));

        enumerator.handleSplitRequest(0, "host");
        enumerator.handleSplitRequest(1, "host");
        enumerator.handleSplitRequest(1, "host");

        assertThat(context.getSplitAssignments().get(0).getAssignedSplits()).extracting(SegmentSplit::segment)
                .containsExactly(0);
        assertThat(context.getSplitAssignments().get(1).getAssignedSplits()).extracting(SegmentSplit::segment)
                .containsExactly(1);
        assertThat(context.getSplitAssignments().get(1).hasReceivedNoMoreSplitsSignal()).isTrue();
        assertThat(context.getSplitAssignments().get(0).hasReceivedNoMoreSplitsSignal()).isFalse();
    }

    @Test
    void aSegmentGivenBackGoesAgainFromWhereItWas() {
        TestingSplitEnumeratorContext<SegmentSplit> context = new TestingSplitEnumeratorContext<>(2);
        LoadEnumerator enumerator = enumerator(context, LoadEnumerator.newLoad(NOW, Duration.ofSeconds(60), 2));
        enumerator.handleSplitRequest(0, "host");
        SegmentSplit partly = new SegmentSplit(0, 2, enumerator.snapshotState(1).loadVersion,
                "{\"pk\":{\"S\":\"item-00042\"}}", 42);

        enumerator.addSplitsBack(List.of(partly), 0);
        enumerator.handleSplitRequest(1, "host");

        assertThat(context.getSplitAssignments().get(1).getAssignedSplits()).containsExactly(partly);
    }

    @Test
    void aRestoredLoadKeepsItsStartVersionSegmentsAndCounts() throws Exception {
        TestingSplitEnumeratorContext<SegmentSplit> context = new TestingSplitEnumeratorContext<>(2);
        LoadEnumerator enumerator = enumerator(context, LoadEnumerator.newLoad(NOW, Duration.ofSeconds(60), 3));
        enumerator.handleSplitRequest(0, "host");
        enumerator.handleSourceEvent(0, new LoadProgressEvent(Map.of(), Map.of(0, 17L)));
        LoadStateSerializer serializer = new LoadStateSerializer();

        LoadState restored = serializer.deserialize(serializer.getVersion(),
                serializer.serialize(enumerator.snapshotState(1)));

        assertThat(restored.startedAtMillis).isEqualTo(NOW);
        assertThat(restored.loadVersion).isEqualTo(LoadEnumerator.newLoad(NOW, Duration.ofSeconds(60), 3).loadVersion);
        assertThat(restored.totalSegments).isEqualTo(3);
        assertThat(restored.unassigned).extracting(SegmentSplit::segment).containsExactly(1, 2);
        assertThat(restored.finished).containsExactly(Map.entry(0, 17L));
    }

    @Test
    void progressCountsFinishedAndRunningSegmentsAndTheEndHasNoEta() {
        TestingSplitEnumeratorContext<SegmentSplit> context = new TestingSplitEnumeratorContext<>(2);
        LoadEnumerator enumerator = enumerator(context, LoadEnumerator.newLoad(NOW, Duration.ofSeconds(60), 2));
        enumerator.handleSplitRequest(0, "host");
        enumerator.handleSplitRequest(1, "host");

        enumerator.handleSourceEvent(0, new LoadProgressEvent(Map.of(0, 10L), Map.of()));
        enumerator.handleSourceEvent(1, new LoadProgressEvent(Map.of(1, 5L), Map.of()));
        assertThat(enumerator.scanned()).isEqualTo(15);
        enumerator.handleSourceEvent(0, new LoadProgressEvent(Map.of(), Map.of(0, 12L)));
        enumerator.handleSourceEvent(1, new LoadProgressEvent(Map.of(), Map.of(1, 9L)));

        assertThat(enumerator.scanned()).isEqualTo(21);
        assertThat(enumerator.etaSeconds()).isZero();
    }

    private static LoadEnumerator enumerator(TestingSplitEnumeratorContext<SegmentSplit> context, LoadState state) {
        FakeTable.create("enumerator-test", 10);
        LoadEnumerator enumerator = new LoadEnumerator(context, "enumerator-test",
                FakeTable.factory("enumerator-test"), () -> NOW, state);
        enumerator.start();
        return enumerator;
    }
}
