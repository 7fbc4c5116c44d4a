package dev.searchsync.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.searchsync.config.StartPosition;
import dev.searchsync.source.client.ShardInfo;
import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.StartingPosition;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The lineage rules alone: who waits for whom, which subtask gets what, and what survives a checkpoint. */
class ShardLineageTest {
    private static final long NOW = 1_700_000_000_000L;
    private static final String STREAM = "arn:fake:stream/orders";

    private final ShardLineage lineage = new ShardLineage();

    @Test
    void splitChildrenWaitForTheirParentThenBothGoToItsSubtask() {
        list(open("P"), open("R"));
        assertThat(assign(2, 1)).isEqualTo(Map.of(1, List.of("P", "R")));

        list(closed("P"), open("R"), open("C1", "P"), open("C2", "P"));
        assertThat(assign(2, 0, 1)).isEmpty();
        assertThat(lineage.get("C1").status()).isEqualTo(ShardStatus.UNASSIGNED);

        assertThat(lineage.markFinished("P", 1)).isTrue();
        // Subtask 0 is idle, but the children must leave through the channel their parent used.
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(1, List.of("C1", "C2")));
        assertThat(assign(2, 0, 1)).isEmpty();
    }

    @Test
    void mergedChildWaitsForBothParentsAndForACheckpointThatSettlesTheParentReadElsewhere() {
        list(open("A"), open("B"));
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(0, List.of("A"), 1, List.of("B")));
        list(closed("A"), closed("B"), merged("M", "A", "B"));

        lineage.markFinished("A", 0);
        assertThat(assign(2, 0, 1)).as("B is not finished").isEmpty();
        lineage.markFinished("B", 1);
        assertThat(assign(2, 0, 1)).as("B's last records may still be in flight on subtask 1").isEmpty();

        lineage.onCheckpoint(7);
        assertThat(lineage.onCheckpointComplete(6)).as("a checkpoint taken before B finished").isFalse();
        assertThat(assign(2, 0, 1)).isEmpty();
        assertThat(lineage.onCheckpointComplete(7)).isTrue();
        // It follows its first parent; B's records were all processed downstream before checkpoint 7 completed.
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(0, List.of("M")));
    }

    @Test
    void mergedChildOfParentsReadOnOneSubtaskNeedsNoCheckpoint() {
        list(open("A"), open("B"));
        assertThat(assign(2, 1)).isEqualTo(Map.of(1, List.of("A", "B")));
        list(closed("A"), closed("B"), merged("M", "A", "B"));

        lineage.markFinished("A", 1);
        lineage.markFinished("B", 1);
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(1, List.of("M")));
    }

    @Test
    void aParentReturnedAndFinishedAgainNeedsANewCheckpoint() {
        list(open("A"), open("B"));
        assign(2, 0, 1);
        list(closed("A"), closed("B"), merged("M", "A", "B"));
        lineage.markFinished("A", 0);
        lineage.markFinished("B", 1);
        lineage.onCheckpoint(3);

        // Subtask 1 fails before checkpoint 3 completes and restores one in which B was still being read.
        lineage.returnSplits(List.of(split("B", null)), 1);
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(1, List.of("B")));
        lineage.markFinished("B", 1);
        lineage.onCheckpointComplete(3);
        assertThat(assign(2, 0, 1)).as("checkpoint 3 was taken before B finished again").isEmpty();

        lineage.onCheckpoint(4);
        lineage.onCheckpointComplete(4);
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(0, List.of("M")));
    }

    @Test
    void rolloverChainIsReadOneShardAtATimeOnTheSameSubtask() {
        list(closed("A"), closed("B", "A"), open("C", "B"), open("R"));
        assertThat(assign(2, 1)).isEqualTo(Map.of(1, List.of("A", "R")));
        assertThat(assign(2, 0, 1)).isEmpty();

        lineage.markFinished("A", 1);
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(1, List.of("B")));
        assertThat(assign(2, 0, 1)).isEmpty();

        lineage.markFinished("B", 1);
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(1, List.of("C")));
        assertThat(lineage.get("C").subtask()).isEqualTo(1);
    }

    @Test
    void childOfAClosedButUnfinishedParentWaitsAndIsAssignedRightAfterMarkFinished() {
        list(open("P"));
        assertThat(assign(2, 1)).isEqualTo(Map.of(1, List.of("P")));

        // The stream closed P, but its reader has not read it to the end yet.
        list(closed("P"), open("C", "P"));
        assertThat(assign(2, 0, 1)).isEmpty();
        assertThat(assign(2, 0, 1)).isEmpty();

        lineage.markFinished("P", 1);
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(1, List.of("C")));
    }

    @Test
    void rootsGoToTheLeastLoadedRegisteredSubtaskLowestFirstOnTies() {
        list(open("A"), open("B"), open("C"));
        assertThat(assign(3, 0, 1, 2)).isEqualTo(Map.of(0, List.of("A"), 1, List.of("B"), 2, List.of("C")));

        // A finished shard no longer counts as load: D fills 1; then E, F each take the lowest of the least loaded.
        lineage.markFinished("B", 1);
        list(open("A"), closed("B"), open("C"), open("D"), open("E"), open("F"));
        assertThat(assign(3, 0, 1, 2)).isEqualTo(Map.of(0, List.of("E"), 1, List.of("D", "F")));
    }

    @Test
    void rootsAreNotGivenToSubtasksThatAreNotRegistered() {
        list(open("A"), open("B"));
        assertThat(assign(3)).isEmpty();
        assertThat(assign(3, 2)).isEqualTo(Map.of(2, List.of("A", "B")));
    }

    @Test
    void childWhoseParentIsNoLongerListedIsAssignedLikeARoot() {
        list(open("R"));
        assertThat(assign(2, 0)).isEqualTo(Map.of(0, List.of("R")));

        list(open("R"), open("C", "agedOut"));
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(1, List.of("C")));
    }

    @Test
    void finishedShardIsKeptWhileListedAndForgottenOnceUnlisted() {
        list(open("P"), open("Q"));
        assertThat(assign(2, 0)).isEqualTo(Map.of(0, List.of("P", "Q")));
        lineage.markFinished("P", 0);

        list(closed("P"), open("Q"));
        assertThat(lineage.get("P")).isEqualTo(new TrackedShard(split("P", null), ShardStatus.FINISHED, 0));

        list(open("Q"));
        assertThat(lineage.get("P")).isNull();
        assertThat(lineage.get("Q").status()).isEqualTo(ShardStatus.ASSIGNED);

        // With P forgotten, a late child of it no longer follows it to subtask 0.
        list(open("Q"), open("C", "P"));
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(1, List.of("C")));
    }

    @Test
    void latestOnTheFirstListingSkipsClosedShardsAndPinsOpenOnesToTheListingTime() {
        List<ShardSplit> first = lineage.onListing(STREAM,
                List.of(closed("old"), open("current", "old"), open("other")), StartPosition.LATEST, NOW);

        assertThat(first).extracting(ShardSplit::shardId).containsExactly("old", "current", "other");
        assertThat(lineage.get("old").status()).isEqualTo(ShardStatus.FINISHED);
        assertThat(lineage.get("old").subtask()).isEqualTo(-1);
        assertThat(lineage.get("current").split().startingPosition()).isEqualTo(StartingPosition.atTimestamp(NOW));
        assertThat(lineage.get("other").split().startingPosition()).isEqualTo(StartingPosition.atTimestamp(NOW));
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(0, List.of("current"), 1, List.of("other")));

        // Shards that appear later hold only new records: read them from their beginning.
        List<ShardSplit> later = lineage.onListing(STREAM,
                List.of(closed("old"), closed("current", "old"), open("other"), open("next", "current"), open("root")),
                StartPosition.LATEST);
        assertThat(later).containsExactly(split("next", "current"), split("root", null));

        lineage.markFinished("current", 0);
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(0, List.of("next", "root")));
    }

    @Test
    void atTimestampOnTheFirstListingStartsEveryShardThereClosedOnesToo() {
        long start = NOW - 3_600_000;
        List<ShardSplit> first = lineage.onListing(STREAM, List.of(closed("old"), open("current", "old")),
                StartPosition.AT_TIMESTAMP, start, NOW);

        assertThat(first).extracting(ShardSplit::startingPosition)
                .containsOnly(StartingPosition.atTimestamp(start));
        assertThat(lineage.get("old").status()).isEqualTo(ShardStatus.UNASSIGNED);
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(0, List.of("old")));

        List<ShardSplit> later = lineage.onListing(STREAM,
                List.of(closed("old"), open("current", "old"), open("root")), StartPosition.AT_TIMESTAMP, start, NOW);
        assertThat(later).containsExactly(split("root", null));
    }

    @Test
    void returnedSplitGoesBackToItsSubtaskAndWaitsWhileThatSubtaskIsAway() {
        list(open("A"), open("B"));
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(0, List.of("A"), 1, List.of("B")));

        lineage.returnSplits(List.of(split("B", null)), 1);
        assertThat(lineage.get("B")).isEqualTo(new TrackedShard(split("B", null), ShardStatus.UNASSIGNED, 1));
        assertThat(assign(2, 0)).isEmpty();

        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(1, List.of("B")));
    }

    @Test
    void childOfAParentReadOnASubtaskBeyondTheParallelismGoesToTheLeastLoaded() {
        ShardLineage restored = ShardLineage.restore(new ShardEnumeratorState(STREAM, List.of(
                new TrackedShard(split("R", null), ShardStatus.ASSIGNED, 0),
                new TrackedShard(split("P", null), ShardStatus.FINISHED, 3))));
        restored.onListing(STREAM, List.of(open("R"), closed("P"), open("C", "P")), StartPosition.TRIM_HORIZON);

        assertThat(ids(restored.assign(Set.of(0, 1), 2))).isEqualTo(Map.of(1, List.of("C")));
    }

    @Test
    void splitReturnedByASubtaskBeyondTheParallelismGoesToTheLeastLoaded() {
        list(open("A"), open("B"), open("X"));
        assertThat(assign(4, 0, 3)).isEqualTo(Map.of(0, List.of("A", "X"), 3, List.of("B")));

        lineage.returnSplits(List.of(split("B", null)), 3);
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(1, List.of("B")));
    }

    @Test
    void markFinishedReturnsFalseWhenRepeatedOrUnknown() {
        list(open("A"));
        assign(2, 0);

        assertThat(lineage.markFinished("A", 0)).isTrue();
        assertThat(lineage.markFinished("A", 1)).isFalse();
        assertThat(lineage.markFinished("unknown", 0)).isFalse();
        assertThat(lineage.get("A").subtask()).isEqualTo(0);
        assertThat(lineage.get("unknown")).isNull();
    }

    @Test
    void onFinishedReturnsOnlyTheShardsItFinished() {
        list(open("A"), open("B"));
        assign(2, 0);
        lineage.markFinished("A", 0);

        assertThat(lineage.onFinished(List.of("A", "B", "unknown"), 1)).containsExactly("B");
        assertThat(lineage.get("A").subtask()).isEqualTo(0);
        assertThat(lineage.get("B").status()).isEqualTo(ShardStatus.FINISHED);
        assertThat(lineage.get("B").subtask()).isEqualTo(1);
    }

    @Test
    void snapshotAndRestoreThroughTheSerializerKeepEveryShard() throws Exception {
        lineage.onListing(STREAM, List.of(closed("old"), open("P", "old"), open("Q"), open("R")),
                StartPosition.LATEST, NOW);
        assertThat(assign(2, 0, 1)).isEqualTo(Map.of(0, List.of("P", "R"), 1, List.of("Q")));
        list(closed("old"), closed("P", "old"), open("Q"), open("R"), open("C", "P"));
        ShardSplit returnedQ = split("Q", null).withStartingPosition(StartingPosition.atTimestamp(NOW));
        lineage.returnSplits(List.of(returnedQ), 1);

        ShardEnumeratorState snapshot = lineage.snapshot();
        ShardEnumeratorStateSerializer serializer = new ShardEnumeratorStateSerializer();
        ShardEnumeratorState copy = serializer.deserialize(serializer.getVersion(), serializer.serialize(snapshot));

        assertThat(copy.streamId()).isEqualTo(STREAM);
        assertThat(copy.shards()).containsExactly(
                new TrackedShard(split("old", null), ShardStatus.FINISHED, -1),
                new TrackedShard(split("P", "old").withStartingPosition(StartingPosition.atTimestamp(NOW)),
                        ShardStatus.ASSIGNED, 0),
                new TrackedShard(returnedQ, ShardStatus.UNASSIGNED, 1),
                new TrackedShard(split("R", null).withStartingPosition(StartingPosition.atTimestamp(NOW)),
                        ShardStatus.ASSIGNED, 0),
                new TrackedShard(split("C", "P"), ShardStatus.UNASSIGNED, -1));

        ShardLineage restored = ShardLineage.restore(copy);
        assertThat(restored.snapshot().shards()).isEqualTo(snapshot.shards());
        assertThat(restored.streamId()).isEqualTo(STREAM);

        // It goes on where it stopped: Q back to 1, C after P on 0, and LATEST is not applied a second time.
        restored.markFinished("P", 0);
        assertThat(ids(restored.assign(Set.of(0, 1), 2))).isEqualTo(Map.of(0, List.of("C"), 1, List.of("Q")));
        assertThat(restored.onListing(STREAM, List.of(open("Q"), open("R"), open("C", "P"), open("new")),
                StartPosition.LATEST)).containsExactly(split("new", null));
    }

    @Test
    void emptyStateSurvivesTheSerializer() throws Exception {
        ShardEnumeratorStateSerializer serializer = new ShardEnumeratorStateSerializer();
        ShardEnumeratorState copy = serializer.deserialize(
                serializer.getVersion(), serializer.serialize(new ShardLineage().snapshot()));

        assertThat(copy.streamId()).isNull();
        assertThat(copy.shards()).isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private void list(ShardInfo... listing) {
        lineage.onListing(STREAM, List.of(listing), StartPosition.TRIM_HORIZON);
    }

    private Map<Integer, List<String>> assign(int parallelism, Integer... readers) {
        return ids(lineage.assign(Set.copyOf(Arrays.asList(readers)), parallelism));
    }

    private static Map<Integer, List<String>> ids(Map<Integer, List<ShardSplit>> assignment) {
        Map<Integer, List<String>> ids = new LinkedHashMap<>();
        assignment.forEach((subtask, splits) ->
                ids.put(subtask, splits.stream().map(ShardSplit::shardId).collect(Collectors.toList())));
        return ids;
    }

    private static ShardSplit split(String shardId, String parent) {
        return new ShardSplit(STREAM, shardId, parent, null, StartingPosition.trimHorizon(), false);
    }

    private static ShardInfo open(String shardId) {
        return open(shardId, null);
    }

    private static ShardInfo open(String shardId, String parent) {
        return new ShardInfo(shardId, parent, null, false);
    }

    private static ShardInfo merged(String shardId, String parent, String adjacentParent) {
        return new ShardInfo(shardId, parent, adjacentParent, false);
    }

    private static ShardInfo closed(String shardId) {
        return closed(shardId, null);
    }

    private static ShardInfo closed(String shardId, String parent) {
        return new ShardInfo(shardId, parent, null, true);
    }
}
