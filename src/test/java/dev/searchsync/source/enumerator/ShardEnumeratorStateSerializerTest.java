package dev.searchsync.source.enumerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.searchsync.source.Hex;
import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.StartingPosition;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The enumerator's savepoint format: every shard status survives it, and its bytes never change unnoticed. */
class ShardEnumeratorStateSerializerTest {
    private static final ShardEnumeratorStateSerializer SERIALIZER = new ShardEnumeratorStateSerializer();
    /** The split of {@link #state}, as the split format writes it (pinned in ShardSplitSerializerTest). */
    private static final String SPLIT = "00000016 | 0003 61726e | 0002 7331 | 00 | 00 | 00 | 00 | 0000000000000000 | 00";

    /**
     * Today's bytes of {@link #state}, field by field: stream, split format version, shard count, then per shard
     * the split, its status and its subtask. Savepoints hold these: a change here breaks every restore.
     */
    private static final Map<ShardStatus, String> PINNED = Map.of(
            ShardStatus.UNASSIGNED, "01 0003 61726e | 00000001 | 00000001 | " + SPLIT + " | 00 | 00000001",
            ShardStatus.ASSIGNED, "01 0003 61726e | 00000001 | 00000001 | " + SPLIT + " | 01 | 00000001",
            ShardStatus.FINISHED, "01 0003 61726e | 00000001 | 00000001 | " + SPLIT + " | 02 | 00000001");

    @ParameterizedTest
    @EnumSource(ShardStatus.class)
    void everyStatusSurvivesTheRoundTrip(ShardStatus status) throws IOException {
        ShardEnumeratorState copy = SERIALIZER.deserialize(SERIALIZER.getVersion(), SERIALIZER.serialize(state(status)));

        assertThat(copy.streamId()).isEqualTo("arn");
        assertThat(copy.shards()).isEqualTo(state(status).shards());
    }

    @ParameterizedTest
    @EnumSource(ShardStatus.class)
    void everyStatusKeepsItsBytes(ShardStatus status) throws IOException {
        assertThat(PINNED).containsKey(status);

        assertThat(Hex.of(SERIALIZER.serialize(state(status)))).isEqualTo(Hex.compact(PINNED.get(status)));
        assertThat(SERIALIZER.deserialize(1, Hex.parse(PINNED.get(status))).shards())
                .isEqualTo(state(status).shards());
    }

    @Test
    void anUnknownStatusCodeFailsNamingTheCodeAndTheShard() {
        byte[] bytes = Hex.parse("01 0003 61726e | 00000001 | 00000001 | " + SPLIT + " | 07 | 00000001");

        assertThatThrownBy(() -> SERIALIZER.deserialize(1, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("s1")
                .hasMessageContaining("unknown shard status code 7");
    }

    private static ShardEnumeratorState state(ShardStatus status) {
        ShardSplit split = new ShardSplit("arn", "s1", null, null, StartingPosition.trimHorizon(), false);
        return new ShardEnumeratorState("arn", List.of(new TrackedShard(split, status, 1)));
    }
}
