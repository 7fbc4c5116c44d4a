package dev.searchsync.opensearch;

import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.Origin;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which change of a document waits for the bulk when several arrive before it leaves. */
class PendingBulkTest {
    private final PendingBulk pending = new PendingBulk();

    @Test
    void aNewerVersionReplacesTheWaitingOneAndAnOlderOrEqualOneIsDropped() {
        assertThat(pending.add(SinkJobs.write("i", "a", 2, "{\"v\":2}"), 0)).isFalse();
        assertThat(pending.add(SinkJobs.write("i", "b", 1, "{}"), 0)).isFalse();
        assertThat(pending.add(SinkJobs.write("i", "a", 5, "{\"v\":5}"), 0)).isTrue();
        assertThat(pending.add(SinkJobs.write("i", "a", 4, "{\"v\":4}"), 0)).isTrue();
        assertThat(pending.add(SinkJobs.write("i", "a", 5, "{\"v\":\"replay\"}"), 0)).isTrue();

        PendingBulk.Bulk bulk = pending.drain();
        assertThat(bulk.actions).extracting(DocumentAction::toString).containsExactly("INDEX i/a v5", "INDEX i/b v1");
        assertThat(bulk.actions.get(0).getDocument()).isEqualTo("{\"v\":5}");
        assertThat(pending.isEmpty()).isTrue();
    }

    @Test
    void aDeleteReplacesAnOlderWriteAndANewerWriteReplacesTheDelete() {
        pending.add(SinkJobs.write("i", "a", 1, "{}"), 0);
        pending.add(SinkJobs.delete("i", "a", 2), 0);
        assertThat(pending.drain().actions).extracting(DocumentAction::toString).containsExactly("DELETE i/a v2");

        pending.add(SinkJobs.delete("i", "a", 3), 0);
        pending.add(SinkJobs.write("i", "a", 4, "{}"), 0);
        assertThat(pending.drain().actions).extracting(DocumentAction::toString).containsExactly("INDEX i/a v4");
    }

    @Test
    void oneIdInTwoIndexesIsTwoDocuments() {
        pending.add(SinkJobs.write("logs-2026.12.01", "a", 1, "{}"), 0);
        pending.add(SinkJobs.write("logs-2026.12.02", "a", 1, "{}"), 0);
        assertThat(pending.size()).isEqualTo(2);
    }

    @Test
    void aCreateOfAnIdAlreadyWaitingIsTheSameEventAgain() {
        assertThat(pending.add(DocumentAction.create("i", "event-1", "{\"n\":1}", null), 0)).isFalse();
        assertThat(pending.add(DocumentAction.create("i", "event-1", "{\"n\":1}", null), 0)).isTrue();
        assertThat(pending.drain().actions).hasSize(1);
    }

    @Test
    void documentBytesCountOnlyWhatWillBeSent() {
        pending.add(SinkJobs.write("i", "a", 1, "{\"long\":\"document\"}"), 0);
        pending.add(SinkJobs.write("i", "a", 2, "{}"), 0);
        pending.add(SinkJobs.write("i", "b", 1, "{\"b\":1}"), 0);
        assertThat(pending.documentBytes()).isEqualTo("{}".length() + "{\"b\":1}".length());
    }

    @Test
    void theTimesOfCoalescedChangesAreKeptForTheLatencyAndTheOldestArrivalForTheFlush() {
        DocumentAction first = SinkJobs.write("i", "a", 1, "{}");
        first.setOrigin(origin(1_000));
        DocumentAction second = SinkJobs.write("i", "a", 2, "{}");
        second.setOrigin(origin(2_000));
        pending.add(first, 50);
        pending.add(second, 70);
        assertThat(pending.oldestMillis()).isEqualTo(50);

        PendingBulk.Bulk bulk = pending.drain();
        assertThat(bulk.coalescedEventTimes).containsExactly(1_000L);
        assertThat(bulk.actions.get(0).getOrigin().getEventTime()).isEqualTo(2_000);
    }

    private static Origin origin(long eventTime) {
        return Origin.of("orders", "dynamodb-streams", "shard-1", null, "100", eventTime, "e");
    }
}
