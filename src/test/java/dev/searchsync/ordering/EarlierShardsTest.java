package dev.searchsync.ordering;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bounded list of a document's earlier shards: most recent first, no repeats, never longer than its bound. */
class EarlierShardsTest {
    @Test
    void startsEmptyAndIgnoresUnknownParents() {
        assertThat(EarlierShards.contains(null, "s1")).isFalse();
        assertThat(EarlierShards.with(null, null)).isNull();
        assertThat(EarlierShards.with("s1", "")).isEqualTo("s1");
        assertThat(EarlierShards.with("s1", "not one")).as("ids have no spaces; such a value is no id").isEqualTo("s1");
        assertThat(EarlierShards.contains("s1", null)).isFalse();
    }

    @Test
    void keepsTheMostRecentFirstWithoutRepeats() {
        String list = EarlierShards.with(EarlierShards.with(EarlierShards.with(null, "s1"), "s2"), "s1");
        assertThat(list).isEqualTo("s1 s2");
        assertThat(EarlierShards.contains(list, "s2")).isTrue();
        assertThat(EarlierShards.contains(list, "s")).as("whole ids only").isFalse();
    }

    @Test
    void forgetsTheOldestBeyondItsBound() {
        String list = null;
        for (int i = 1; i <= EarlierShards.MAX + 1; i++) {
            list = EarlierShards.with(list, "s" + i);
        }
        assertThat(list.split(" ")).hasSize(EarlierShards.MAX).startsWith("s" + (EarlierShards.MAX + 1));
        assertThat(EarlierShards.contains(list, "s1")).isFalse();
        assertThat(EarlierShards.contains(list, "s2")).isTrue();
    }
}
