package dev.searchsync.ordering;

import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.Origin;
import dev.searchsync.testmetrics.CapturingTaskMetricGroup;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The keyed gate: duplicates and stale changes dropped, versions assigned, deletes remembered, state expired. */
class OrderAndVersionTest {
    private static final long TTL = TimeUnit.HOURS.toMillis(26);
    private static final long SECOND = 1_700_000_000_000L;

    private KeyedOneInputStreamOperatorTestHarness<String, DocumentAction, DocumentAction> harness;
    private final InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();

    @BeforeEach
    void setUp() throws Exception {
        harness = newHarness();
        harness.open();
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    @Test
    void versionIsCreationTimeInMicrosThenCountsUpWithinTheSecond() throws Exception {
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);
        harness.processElement(write("a", "shard-1", "101", SECOND), 0);
        harness.processElement(write("a", "shard-1", "102", SECOND + 1_000), 0);

        assertThat(versions()).containsExactly(SECOND * 1_000, SECOND * 1_000 + 1, (SECOND + 1_000) * 1_000);
    }

    @Test
    void exactDuplicateIsDroppedAndCounted() throws Exception {
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);

        assertThat(versions()).containsExactly(SECOND * 1_000);
        assertThat(counter("duplicatesDropped")).isEqualTo(1);
    }

    @Test
    void eventsOfOneRecordAreOrderedByTheirIndexWithinIt() throws Exception {
        // One Kinesis record can hold many events for a document, all at the record's sequence number.
        harness.processElement(at(write("a", "shard-1", "100", SECOND), 0), 0);
        harness.processElement(at(delete("a", "shard-1", "100", SECOND), 1), 0);
        harness.processElement(at(write("a", "shard-1", "100", SECOND), 2), 0);
        // A replay of the record: every event is a duplicate or older.
        harness.processElement(at(write("a", "shard-1", "100", SECOND), 0), 0);
        harness.processElement(at(write("a", "shard-1", "100", SECOND), 2), 0);

        assertThat(output()).extracting(DocumentAction::isDelete).containsExactly(false, true, false);
        assertThat(counter("duplicatesDropped")).isEqualTo(1);
        assertThat(counter("staleDropped")).isEqualTo(1);
    }

    @Test
    void anEventsOwnVersionOrdersItAndIsTheExternalVersion() throws Exception {
        harness.processElement(versioned(write("a", "shard-1", "100", SECOND), 50), 0);
        // Later in the stream but older by the producer's word: refused.
        harness.processElement(versioned(write("a", "shard-1", "101", SECOND), 40), 0);
        harness.processElement(versioned(write("a", "shard-2", "007", SECOND), 50), 0);
        harness.processElement(versioned(delete("a", "shard-2", "008", SECOND), 60), 0);

        assertThat(versions()).containsExactly(50L, 60L);
        assertThat(counter("staleDropped")).isEqualTo(1);
        assertThat(counter("duplicatesDropped")).isEqualTo(1);
    }

    @Test
    void aLoadedItemLosesToEveryStreamChangeFromTheLoadsMarginOnWhateverTheOrder() throws Exception {
        // A load started at SECOND with a 60 s margin; changes 30 s before it are inside the margin.
        long load = (SECOND / 1_000 - 60) * 1_000_000 - 1;
        long inMargin = SECOND - 30_000;
        harness.processElement(write("a", "shard-1", "100", inMargin), 0);
        harness.processElement(loaded("a", SECOND, load), 0);
        harness.processElement(loaded("b", SECOND, load), 0);
        harness.processElement(write("b", "shard-1", "101", inMargin), 0);
        harness.processElement(delete("c", "shard-1", "102", inMargin), 0);
        harness.processElement(loaded("c", SECOND, load), 0);

        assertThat(output()).extracting(DocumentAction::getId, DocumentAction::getVersion, DocumentAction::isDelete)
                .containsExactly(tuple("a", inMargin * 1_000, false), tuple("b", load, false),
                        tuple("b", inMargin * 1_000, false), tuple("c", inMargin * 1_000, true));
        assertThat(counter("snapshotsApplied")).isEqualTo(1);
        assertThat(counter("snapshotsSuperseded")).isEqualTo(2);
    }

    @Test
    void aLoadedItemWinsOverEveryStreamChangeBeforeTheLoadsMarginOnWhateverTheOrder() throws Exception {
        long load = (SECOND / 1_000 - 60) * 1_000_000 - 1;
        long beforeMargin = SECOND - 61_000;
        harness.processElement(write("a", "shard-1", "100", beforeMargin), 0);
        harness.processElement(loaded("a", SECOND, load), 0);
        harness.processElement(loaded("b", SECOND, load), 0);
        harness.processElement(write("b", "shard-1", "101", beforeMargin), 0);
        harness.processElement(delete("b", "shard-1", "102", beforeMargin + 1), 0);

        assertThat(output()).extracting(DocumentAction::getId, DocumentAction::getVersion)
                .containsExactly(tuple("a", beforeMargin * 1_000), tuple("a", load), tuple("b", load));
        assertThat(counter("snapshotsApplied")).isEqualTo(2);
        assertThat(counter("staleDropped")).isEqualTo(2);
    }

    @Test
    void olderChangeOfTheSameShardIsStale() throws Exception {
        harness.processElement(write("a", "shard-1", "200", SECOND), 0);
        harness.processElement(write("a", "shard-1", "0150", SECOND), 0);

        assertThat(versions()).containsExactly(SECOND * 1_000);
        assertThat(counter("staleDropped")).isEqualTo(1);
    }

    @Test
    void staleWriteAfterDeleteIsRefusedByTheJob() throws Exception {
        harness.processElement(child(write("a", "shard-1", "100", SECOND), "shard-0"), 0);
        harness.processElement(child(delete("a", "shard-1", "105", SECOND + 5_000), "shard-0"), 0);
        // The same write arriving again (a replay) and an older one from the parent shard must not resurrect it.
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);
        harness.processElement(write("a", "shard-0", "090", SECOND + 2_000), 0);

        List<DocumentAction> out = output();
        assertThat(out).extracting(DocumentAction::isDelete).containsExactly(false, true);
        assertThat(counter("duplicatesDropped") + counter("staleDropped")).isEqualTo(2);
    }

    @Test
    void reinsertAfterDeleteGetsAHigherVersion() throws Exception {
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);
        harness.processElement(delete("a", "shard-1", "101", SECOND), 0);
        harness.processElement(write("a", "shard-1", "102", SECOND), 0);

        assertThat(output()).extracting(DocumentAction::isDelete).containsExactly(false, true, false);
        assertThat(versions()).containsExactly(SECOND * 1_000, SECOND * 1_000 + 1, SECOND * 1_000 + 2);
    }

    @Test
    void childShardChangeInTheSameSecondIsNewer() throws Exception {
        harness.processElement(write("a", "parent", "900", SECOND), 0);
        harness.processElement(write("a", "child", "901", SECOND), 0);

        assertThat(versions()).containsExactly(SECOND * 1_000, SECOND * 1_000 + 1);
    }

    @Test
    void childShardChangeWithAnEarlierSecondThanItsParentsLastIsApplied() throws Exception {
        // Creation times are approximate: the child's first change of "a" carries an earlier second than the
        // parent's last. The source reads a child only after its parent, so the child's change is the newer one.
        harness.processElement(write("a", "parent", "900", SECOND + 1_000), 0);
        harness.processElement(write("a", "child", "100", SECOND), 0);

        assertThat(versions()).containsExactly((SECOND + 1_000) * 1_000, (SECOND + 1_000) * 1_000 + 1);
        assertThat(counter("staleDropped")).isZero();
    }

    @Test
    void redrivenParentChangeAfterASameSecondChildChangeIsStale() throws Exception {
        harness.processElement(write("a", "parent", "900", SECOND), 0); // then refused by OpenSearch: a letter
        harness.processElement(write("a", "child", "100", SECOND), 0); // the newer change, same second

        harness.processElement(redrive(write("a", "parent", "900", SECOND)), 0);

        assertThat(versions()).containsExactly(SECOND * 1_000, SECOND * 1_000 + 1);
        assertThat(counter("redriveSkippedStale")).isEqualTo(1);
    }

    @Test
    void redrivenChangeOfAnotherShardInTheSameSecondThatNeverReachedThisStepIsStale() throws Exception {
        // The parent's change of "a" failed before this step (say validation); the child's, in the same second,
        // was applied. Nothing in the state relates the two shards, and the same second cannot tell which is newer:
        // the letter is skipped rather than risk an older change overwriting a newer one.
        harness.processElement(write("a", "child", "100", SECOND), 0);

        harness.processElement(redrive(write("a", "parent", "950", SECOND)), 0);

        assertThat(versions()).containsExactly(SECOND * 1_000);
        assertThat(counter("redriveSkippedStale")).isEqualTo(1);
    }

    @Test
    void redrivenParentChangeIsStaleAfterAChildChangeWithAnEarlierSecond() throws Exception {
        // Times step back across the boundary: the parent's change (failed before this step) carries a later
        // second than the child's change applied since. The child's change names its parent, so the letter is
        // known to be older.
        harness.processElement(child(write("a", "child", "100", SECOND), "parent"), 0);

        harness.processElement(redrive(write("a", "parent", "950", SECOND + 1_000)), 0);

        assertThat(versions()).containsExactly(SECOND * 1_000);
        assertThat(counter("redriveSkippedStale")).isEqualTo(1);
    }

    @Test
    void redrivenChildChangeFollowsItsParentsLastWhateverItsSecond() throws Exception {
        // The newer change must not be dropped: the child's changes of "a" failed before this step, and are
        // redriven after the mapping is fixed; one has an earlier second than the parent's last, one the same.
        harness.processElement(write("a", "parent", "900", SECOND + 1_000), 0);
        harness.processElement(write("b", "parent", "901", SECOND), 0);

        harness.processElement(redrive(child(write("a", "child", "100", SECOND), "parent")), 0);
        harness.processElement(redrive(child(write("b", "child", "101", SECOND), "parent")), 0);

        assertThat(output()).extracting(DocumentAction::getId, DocumentAction::getVersion).containsExactly(
                tuple("a", (SECOND + 1_000) * 1_000), tuple("b", SECOND * 1_000),
                tuple("a", (SECOND + 1_000) * 1_000 + 1), tuple("b", SECOND * 1_000 + 1));
        assertThat(counter("redriven")).isEqualTo(2);
        assertThat(counter("redriveSkippedStale")).isZero();
    }

    @Test
    void redrivenChangeOfAShardBetweenAnEarlierShardAndTheLastIsStale() throws Exception {
        // Lineage p -> c1 -> c2 -> c3. "a" changed in c1, then in c3 (nothing in c2) within one second; a later
        // change of c1, stamped a second later, failed before this step. c1's parent p is known to come before c3,
        // so c1 lies between them: the letter is older than the change from c3, though its second is later.
        harness.processElement(child(write("a", "c1", "100", SECOND), "p"), 0);
        harness.processElement(child(write("a", "c3", "300", SECOND), "c2"), 0);

        harness.processElement(redrive(child(write("a", "c1", "150", SECOND + 1_000), "p")), 0);

        assertThat(versions()).containsExactly(SECOND * 1_000, SECOND * 1_000 + 1);
        assertThat(counter("redriveSkippedStale")).isEqualTo(1);
    }

    @Test
    void redrivenChangeOfUnknownLineageIsPlacedByItsSecond() throws Exception {
        // A letter written before letters kept the parent shard, against state that knows no lineage either.
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);
        harness.processElement(write("b", "shard-1", "101", SECOND + 1_000), 0);

        harness.processElement(redrive(write("a", "shard-2", "200", SECOND + 1_000)), 0); // a later second: newer
        harness.processElement(redrive(write("b", "shard-2", "201", SECOND)), 0); // an earlier second: older

        assertThat(versions()).containsExactly(SECOND * 1_000, (SECOND + 1_000) * 1_000, (SECOND + 1_000) * 1_000);
        assertThat(counter("redriven")).isEqualTo(1);
        assertThat(counter("redriveSkippedStale")).isEqualTo(1);
    }

    @Test
    void streamChangeFromAShardTheLineageMovedOnFromIsStale() throws Exception {
        // A redriven child change was applied before the stream reached the child (say the stream is replayed
        // from an older savepoint): the parent's changes the stream delivers next are older.
        harness.processElement(write("a", "parent", "900", SECOND), 0);
        harness.processElement(redrive(child(write("a", "child", "100", SECOND), "parent")), 0);

        harness.processElement(write("a", "parent", "901", SECOND + 1_000), 0);

        assertThat(versions()).containsExactly(SECOND * 1_000, SECOND * 1_000 + 1);
        assertThat(counter("staleDropped")).isEqualTo(1);
    }

    @Test
    void restoresStateWrittenBeforeTheLineageWasKept() throws Exception {
        // Written with KeyVersionState's first six fields (version, deleted, sequenceNumber, shardId, createdAt,
        // expiresAt), as commit 96dbcd2 had them: a canonical savepoint of RocksDB, which MSF uses, with
        // "a": write parent/900 at SECOND + 1 s, v(SECOND + 1 s); "b": write shard-1/100, delete shard-1/101.
        OperatorSubtaskState old = OperatorSnapshotUtil.readStateHandle(
                Path.of("src/test/resources/ordering/order-and-version-6-field-state.savepoint").toString());
        for (StateBackend backend : new StateBackend[] {new EmbeddedRocksDBStateBackend(), new HashMapStateBackend()}) {
            InterceptingOperatorMetricGroup restoredMetrics = new InterceptingOperatorMetricGroup();
            try (var restored = newHarness(restoredMetrics)) {
                restored.setStateBackend(backend);
                restored.setProcessingTime(0);
                restored.initializeState(old);
                restored.open();
                restored.processElement(child(write("a", "child", "100", SECOND), "parent"), 0);
                restored.processElement(redrive(write("a", "parent", "900", SECOND + 1_000)), 0);
                restored.processElement(write("b", "shard-1", "100", SECOND), 0);
                restored.processElement(write("b", "shard-1", "102", SECOND), 0);

                assertThat(restored.extractOutputValues()).as("%s", backend)
                        .extracting(DocumentAction::getId, DocumentAction::getVersion)
                        .containsExactly(tuple("a", (SECOND + 1_000) * 1_000 + 1), tuple("b", SECOND * 1_000 + 2));
                assertThat(((Counter) restoredMetrics.get("staleDropped")).getCount()).isEqualTo(1);
                assertThat(((Counter) restoredMetrics.get("redriveSkippedStale")).getCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void keysAreIndependent() throws Exception {
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);
        harness.processElement(write("b", "shard-1", "101", SECOND), 0);

        assertThat(versions()).containsExactly(SECOND * 1_000, SECOND * 1_000);
    }

    @Test
    void replayFromACheckpointAssignsTheSameVersions() throws Exception {
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);
        OperatorSubtaskState snapshot = harness.snapshot(1L, 1L);
        harness.processElement(write("a", "shard-1", "101", SECOND), 0);
        harness.processElement(delete("a", "shard-1", "102", SECOND), 0);
        harness.processElement(write("a", "shard-1", "103", SECOND + 3_000), 0);
        List<Long> firstRun = versions().subList(1, 4);

        try (var restored = newHarness()) {
            restored.initializeState(snapshot);
            restored.open();
            restored.processElement(write("a", "shard-1", "101", SECOND), 0);
            restored.processElement(delete("a", "shard-1", "102", SECOND), 0);
            restored.processElement(write("a", "shard-1", "103", SECOND + 3_000), 0);
            List<Long> replay = new ArrayList<>();
            restored.extractOutputValues().forEach(c -> replay.add(c.getVersion()));
            assertThat(replay).isEqualTo(firstRun);
        }
    }

    @Test
    void afterStateLossVersionsNeverGoBackPastAnewerSecond() throws Exception {
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);
        harness.processElement(write("a", "shard-1", "101", SECOND), 0);
        long indexed = versions().get(1);

        try (var fresh = newHarness()) {
            fresh.open();
            // The stream replayed from its trim horizon into empty state: the same changes get versions no
            // higher than before (OpenSearch refuses them), and a change from a later second wins.
            fresh.processElement(write("a", "shard-1", "101", SECOND), 0);
            fresh.processElement(write("a", "shard-1", "102", SECOND + 1_000), 0);
            List<Long> replay = new ArrayList<>();
            fresh.extractOutputValues().forEach(c -> replay.add(c.getVersion()));
            assertThat(replay.get(0)).isLessThanOrEqualTo(indexed);
            assertThat(replay.get(1)).isGreaterThan(indexed);
        }
    }

    @Test
    void stateLossWindowIsTheSecondOfTheReplayedTail() throws Exception {
        // Originally: three changes in one second, indexed up to version S+2.
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);
        harness.processElement(write("a", "shard-1", "101", SECOND), 0);
        harness.processElement(write("a", "shard-1", "102", SECOND), 0);
        long indexed = versions().get(2);

        try (var fresh = newHarness()) {
            fresh.open();
            // State lost and the first two changes trimmed from the stream: the replay starts at the third.
            fresh.processElement(write("a", "shard-1", "102", SECOND), 0);
            fresh.processElement(write("a", "shard-1", "103", SECOND), 0);
            fresh.processElement(write("a", "shard-1", "104", SECOND + 1_000), 0);
            List<Long> replay = new ArrayList<>();
            fresh.extractOutputValues().forEach(c -> replay.add(c.getVersion()));

            assertThat(replay.get(0)).as("replayed tail: refused by OpenSearch, rightly").isLessThan(indexed);
            assertThat(replay.get(1)).as("a new change in the same second: inside the window").isLessThan(indexed);
            assertThat(replay.get(2)).as("the next second: applied").isGreaterThan(indexed);
        }
    }

    @Test
    void redriveOfTheLastAppliedChangeGoesAgainWithItsVersionAndIsSafeTwice() throws Exception {
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);
        long rejectedVersion = versions().get(0); // say OpenSearch refused it: it became a dead letter

        harness.processElement(redrive(write("a", "shard-1", "100", SECOND)), 0);
        harness.processElement(redrive(write("a", "shard-1", "100", SECOND)), 0);

        assertThat(versions()).containsExactly(rejectedVersion, rejectedVersion, rejectedVersion);
        assertThat(counter("redriven")).isEqualTo(2);
        assertThat(counter("duplicatesDropped")).isZero();
    }

    @Test
    void redriveOfAChangeOvertakenSinceIsSkippedAsStale() throws Exception {
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);
        harness.processElement(write("a", "shard-1", "101", SECOND + 1_000), 0); // updated since
        harness.processElement(write("b", "shard-1", "102", SECOND), 0);
        harness.processElement(delete("b", "shard-1", "103", SECOND + 1_000), 0); // deleted since

        harness.processElement(redrive(write("a", "shard-1", "100", SECOND)), 0);
        harness.processElement(redrive(write("b", "shard-1", "102", SECOND)), 0);

        assertThat(output()).hasSize(4);
        assertThat(counter("redriveSkippedStale")).isEqualTo(2);
    }

    @Test
    void redriveOfAChangeThatNeverReachedThisStepIsVersionedAsNew() throws Exception {
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);
        // Change 101 failed validation before this step; nothing newer happened to "a".
        harness.processElement(redrive(write("a", "shard-1", "101", SECOND)), 0);

        assertThat(versions()).containsExactly(SECOND * 1_000, SECOND * 1_000 + 1);
        assertThat(counter("redriven")).isEqualTo(1);
    }

    @Test
    void stateIsForgottenAfterTheTtlAndTimersDoNotPileUp() throws Exception {
        harness.setProcessingTime(0);
        harness.processElement(write("a", "shard-1", "100", SECOND), 0);
        harness.processElement(delete("b", "shard-1", "101", SECOND), 0);
        for (int i = 0; i < 50; i++) {
            harness.setProcessingTime(i * 1_000L);
            harness.processElement(write("a", "shard-1", Integer.toString(200 + i), SECOND + i), 0);
        }
        assertThat(harness.numKeyedStateEntries()).isEqualTo(2);
        assertThat(harness.numProcessingTimeTimers()).as("one timer per key").isEqualTo(2);

        harness.setProcessingTime(TTL + 2 * OrderAndVersion.TIMER_GRANULARITY_MILLIS);

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void statePerKeyIsSmallAndAPojo() throws Exception {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(KeyVersionState.class);
        KeyVersionState state = new KeyVersionState();
        state.version = SECOND * 1_000 + 3;
        state.deleted = true;
        state.sequenceNumber = "4000000000000000000000000012345678901234"; // 40 digits, the longest
        state.shardId = "shardId-00000001700000000000-0123abcd";
        state.createdAt = SECOND;
        state.expiresAt = SECOND + TTL;
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        TypeSerializer<KeyVersionState> serializer = TypeInformation.of(KeyVersionState.class).createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(512);
        serializer.serialize(state, out);
        int withoutLineage = out.length();

        for (int i = 0; i < EarlierShards.MAX + 2; i++) {
            state.earlierShards = EarlierShards.with(state.earlierShards, "shardId-0000000169999000000" + i + "-0123abcd");
        }
        assertThat(state.earlierShards.split(" ")).hasSize(EarlierShards.MAX);
        out.clear();
        serializer.serialize(state, out);
        // Measured: 119 bytes with the longest sequence number and no earlier shard known (a document that has not
        // crossed a shard boundary), 272 with the most earlier shards kept; docs/architecture.md quotes both.
        assertThat(withoutLineage).isLessThanOrEqualTo(120);
        assertThat(out.length()).isLessThanOrEqualTo(275);
    }

    // The initial load (docs/architecture.md, "The initial load"): a load starts at LOAD_START with a 60 s margin,
    // so its items carry LOADED, and a stream change made from LOAD_START - 60 s on is newer than any of them.
    private static final long LOAD_START = SECOND + 3_600_000;
    private static final long MARGIN_START = LOAD_START - 60_000;
    private static final long LOADED = MARGIN_START * 1_000 - 1;

    @Test
    void anItemDeletedAfterItsPageWasReadStaysDeletedWhicheverArrivesFirst() throws Exception {
        harness.processElement(loaded("a"), 0);
        harness.processElement(delete("a", "shard-1", "500", LOAD_START + 5_000), 0);
        // The other order: the delete reaches the gate before the item the Scan read earlier.
        harness.processElement(delete("b", "shard-1", "501", LOAD_START + 5_000), 0);
        harness.processElement(loaded("b"), 0);

        assertThat(output()).extracting(DocumentAction::getId, DocumentAction::isDelete, DocumentAction::getVersion)
                .containsExactly(tuple("a", false, LOADED), tuple("a", true, (LOAD_START + 5_000) * 1_000),
                        tuple("b", true, (LOAD_START + 5_000) * 1_000));
        assertThat(counter("snapshotsApplied")).isEqualTo(1);
        assertThat(counter("snapshotsSuperseded")).isEqualTo(1);
    }

    @Test
    void anItemUpdatedDuringTheLoadEndsAtTheUpdateWhicheverArrivesFirst() throws Exception {
        harness.processElement(loaded("a"), 0);
        harness.processElement(write("a", "shard-1", "500", LOAD_START + 1_000), 0);
        harness.processElement(write("b", "shard-1", "501", LOAD_START + 1_000), 0);
        harness.processElement(loaded("b"), 0);

        assertThat(output()).extracting(DocumentAction::getId, DocumentAction::getVersion)
                .containsExactly(tuple("a", LOADED), tuple("a", (LOAD_START + 1_000) * 1_000),
                        tuple("b", (LOAD_START + 1_000) * 1_000));
    }

    @Test
    void anItemCreatedAfterItsSegmentWasReadComesFromTheStreamAlone() throws Exception {
        harness.processElement(write("a", "shard-1", "500", LOAD_START + 9_000), 0);
        harness.processElement(write("a", "shard-1", "501", LOAD_START + 9_500), 0);

        assertThat(versions()).containsExactly((LOAD_START + 9_000) * 1_000, (LOAD_START + 9_500) * 1_000);
    }

    @Test
    void aStreamChangeOlderThanTheLoadArrivingAfterTheLoadedItemIsDropped() throws Exception {
        harness.processElement(loaded("a"), 0);
        // Made before the margin: the Scan read the item after it, so the loaded image holds it already.
        harness.processElement(write("a", "shard-1", "100", MARGIN_START - 1_000), 0);
        harness.processElement(delete("a", "shard-1", "101", MARGIN_START - 1), 0);
        // The first change from the margin on is newer than the load, by the margin's rule, even within its second.
        harness.processElement(write("a", "shard-1", "102", MARGIN_START), 0);

        assertThat(output()).extracting(DocumentAction::isDelete, DocumentAction::getVersion)
                .containsExactly(tuple(false, LOADED), tuple(false, MARGIN_START * 1_000));
        assertThat(counter("staleDropped")).isEqualTo(2);
    }

    @Test
    void olderStreamChangesBeforeTheLoadedItemAreOverwrittenByItAndLaterOnesStillFollow() throws Exception {
        harness.processElement(write("a", "shard-1", "100", MARGIN_START - 9_000), 0);
        harness.processElement(write("a", "shard-1", "101", MARGIN_START - 9_000), 0);
        harness.processElement(loaded("a"), 0);
        harness.processElement(write("a", "shard-1", "102", MARGIN_START - 8_000), 0);
        harness.processElement(write("a", "shard-1", "103", LOAD_START), 0);
        harness.processElement(write("a", "shard-1", "104", LOAD_START), 0);

        assertThat(versions()).containsExactly((MARGIN_START - 9_000) * 1_000, (MARGIN_START - 9_000) * 1_000 + 1,
                LOADED, LOAD_START * 1_000, LOAD_START * 1_000 + 1);
    }

    @Test
    void aLoadedItemReadAgainAfterARestoreIsADuplicate() throws Exception {
        harness.processElement(loaded("a"), 0);
        harness.processElement(loaded("a"), 0);

        assertThat(versions()).containsExactly(LOADED);
        assertThat(counter("duplicatesDropped")).isEqualTo(1);
    }

    @Test
    void aRedrivenStreamChangeUnderALoadedItemIsNotSentAgain() throws Exception {
        DocumentAction before = write("a", "shard-1", "100", MARGIN_START - 9_000);
        harness.processElement(before, 0);
        harness.processElement(loaded("a"), 0);
        harness.processElement(redrive(write("a", "shard-1", "100", MARGIN_START - 9_000)), 0);

        assertThat(versions()).containsExactly((MARGIN_START - 9_000) * 1_000, LOADED);
        assertThat(counter("redriveSkippedStale")).isEqualTo(1);
    }

    /** An item the load read, as the DynamoDB mapper makes it: a snapshot origin and the load's version. */
    private static DocumentAction loaded(String id) {
        DocumentAction action = DocumentAction.index("idx", id, "{}", Origin.snapshot("t", "dynamodb-streams",
                LOAD_START + 2_000));
        action.setEventVersion(LOADED);
        return action;
    }

    private KeyedOneInputStreamOperatorTestHarness<String, DocumentAction, DocumentAction> newHarness()
            throws Exception {
        return newHarness(harness == null ? metrics : new InterceptingOperatorMetricGroup());
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, DocumentAction, DocumentAction> newHarness(
            InterceptingOperatorMetricGroup metrics) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new OrderAndVersion(TTL)),
                DocumentAction::getId, TypeInformation.of(String.class),
                CapturingTaskMetricGroup.environment(metrics));
    }

    private List<DocumentAction> output() {
        return harness.extractOutputValues();
    }

    private List<Long> versions() {
        List<Long> versions = new ArrayList<>();
        output().forEach(c -> versions.add(c.getVersion()));
        return versions;
    }

    private long counter(String name) {
        return ((Counter) metrics.get(name)).getCount();
    }

    /** {@code action}, read from a shard whose parent is {@code parentShard}, as the source tells it. */
    private static DocumentAction child(DocumentAction action, String parentShard) {
        action.getOrigin().setParentShard(parentShard);
        return action;
    }

    private static DocumentAction at(DocumentAction action, int subSequence) {
        action.setOrigin(action.getOrigin().at(subSequence));
        return action;
    }

    private static DocumentAction versioned(DocumentAction action, long eventVersion) {
        action.setEventVersion(eventVersion);
        return action;
    }

    private static DocumentAction redrive(DocumentAction action) {
        return action.redriven(1);
    }

    private static DocumentAction write(String id, String shard, String sequence, long createdAt) {
        return DocumentAction.index("idx", id, "{}", origin(id, shard, sequence, createdAt));
    }

    /** An initial load's item, read at {@code readAt}, at the load's version. */
    private static DocumentAction loaded(String id, long readAt, long loadVersion) {
        DocumentAction action = DocumentAction.index("idx", id, "{}", Origin.snapshot("t", "dynamodb-streams", readAt));
        action.setEventVersion(loadVersion);
        return action;
    }

    private static DocumentAction delete(String id, String shard, String sequence, long createdAt) {
        return DocumentAction.delete("idx", id, origin(id, shard, sequence, createdAt));
    }

    private static Origin origin(String id, String shard, String sequence, long createdAt) {
        return Origin.of("t", "dynamodb-streams", shard, null, sequence, createdAt, "event-" + id + "-" + sequence);
    }
}
