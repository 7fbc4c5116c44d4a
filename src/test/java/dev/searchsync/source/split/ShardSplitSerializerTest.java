package dev.searchsync.source.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.searchsync.source.Hex;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.Map;

/** The split format in savepoints: every position type survives it, and its bytes never change unnoticed. */
class ShardSplitSerializerTest {
    private static final ShardSplitSerializer SERIALIZER = ShardSplitSerializer.INSTANCE;

    /**
     * Today's bytes of {@link #split}, field by field: stream, shard, parent, adjacent parent, position type,
     * sequence number, timestamp, finished. Savepoints hold these: a change here breaks every restore.
     */
    private static final Map<StartingPosition.Type, String> PINNED = Map.of(
            StartingPosition.Type.TRIM_HORIZON,
            "0003 61726e | 0002 7331 | 01 0002 7330 | 00 | 00 | 00 | 0000000000000000 | 00",
            StartingPosition.Type.LATEST,
            "0003 61726e | 0002 7331 | 01 0002 7330 | 00 | 01 | 00 | 0000000000000000 | 00",
            StartingPosition.Type.AFTER_SEQUENCE_NUMBER,
            "0003 61726e | 0002 7331 | 01 0002 7330 | 00 | 02 | 01 0002 3432 | 0000000000000000 | 00",
            StartingPosition.Type.AT_TIMESTAMP,
            "0003 61726e | 0002 7331 | 01 0002 7330 | 00 | 03 | 00 | 0000018bcfe56800 | 00");

    @ParameterizedTest
    @EnumSource(StartingPosition.Type.class)
    void everyPositionTypeSurvivesTheRoundTrip(StartingPosition.Type type) throws IOException {
        ShardSplit split = split(type);

        assertThat(SERIALIZER.deserialize(SERIALIZER.getVersion(), SERIALIZER.serialize(split))).isEqualTo(split);
    }

    @ParameterizedTest
    @EnumSource(StartingPosition.Type.class)
    void everyPositionTypeKeepsItsBytes(StartingPosition.Type type) throws IOException {
        assertThat(PINNED).containsKey(type);

        assertThat(Hex.of(SERIALIZER.serialize(split(type)))).isEqualTo(Hex.compact(PINNED.get(type)));
        assertThat(SERIALIZER.deserialize(1, Hex.parse(PINNED.get(type)))).isEqualTo(split(type));
    }

    @Test
    void finishedSplitWithBothParentsKeepsItsBytes() throws IOException {
        ShardSplit split = new ShardSplit("arn", "s1", "s0", "s2", StartingPosition.trimHorizon(), true);

        assertThat(Hex.of(SERIALIZER.serialize(split)))
                .isEqualTo(Hex.compact("0003 61726e | 0002 7331 | 01 0002 7330 | 01 0002 7332 | 00 | 00"
                        + " | 0000000000000000 | 01"));
    }

    @Test
    void anUnknownPositionCodeFailsNamingTheCodeAndTheShard() {
        byte[] bytes = Hex.parse("0003 61726e | 0002 7331 | 00 | 00 | 09 | 00 | 0000000000000000 | 00");

        assertThatThrownBy(() -> SERIALIZER.deserialize(1, bytes))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("s1")
                .hasMessageContaining("unknown starting position code 9");
    }

    private static ShardSplit split(StartingPosition.Type type) {
        return new ShardSplit("arn", "s1", "s0", null, StartingPosition.of(type, "42", 1_700_000_000_000L), false);
    }
}
