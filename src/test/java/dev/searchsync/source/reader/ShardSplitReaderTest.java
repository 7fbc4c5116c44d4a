package dev.searchsync.source.reader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.searchsync.metrics.ExportedMetrics;
import dev.searchsync.source.ShardSourceSettings;
import dev.searchsync.source.StartPosition;
import dev.searchsync.source.StreamChangePolicy;
import dev.searchsync.source.TrimmedDataPolicy;
import dev.searchsync.source.client.ShardDataTrimmedException;
import dev.searchsync.source.fake.FakeRecord;
import dev.searchsync.source.fake.FakeRecordConverter;
import dev.searchsync.source.fake.FakeStream;
import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.StartingPosition;

import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/** The fetch loop alone, on a fake clock: order, shard ends, expired iterators, trimmed data, throttling, pacing. */
class ShardSplitReaderTest {
    private static final String STREAM = "arn:fake:stream/orders";
    private static final long POLL = 100;
    private static final long IDLE_MAX = 800;
    private static final long THROTTLE_BASE = 200;
    private static final long THROTTLE_MAX = 1_000;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final FakeStream stream = new FakeStream(STREAM, now::get);
    private final ShardReaderMetrics metrics = new ShardReaderMetrics(new UnregisteredMetricsGroup());

    @Test
    void recordsComeOutInOrderWithTheirSequenceNumbersAndArrivalTimes() {
        stream.createShard("shard-1", null);
        List<FakeRecord> written = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            now.addAndGet(7);
            written.add(stream.append("shard-1", "k" + i, "v" + i));
        }
        ShardSplitReader<FakeRecord, String> reader = reader(settings(10));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));

        Fetch fetch = fetch(reader);

        assertThat(fetch.values()).containsExactly("k1=v1", "k2=v2", "k3=v3", "k4=v4");
        assertThat(fetch.sequenceNumbers())
                .containsExactlyElementsOf(
                        written.stream().map(FakeRecord::sequenceNumber).collect(Collectors.toList()));
        assertThat(fetch.records).extracting(FetchedRecord::timestamp)
                .containsExactly(1_000_007L, 1_000_014L, 1_000_021L, 1_000_028L);
        assertThat(fetch.splitIds).containsExactly("shard-1");
        assertThat(fetch.finished).isEmpty();
        assertThat(metrics.shard("shard-1").recordsRead().getCount()).isEqualTo(4);
        assertThat(metrics.getRecordsCalls().getCount()).isEqualTo(1);
    }

    @Test
    void shardsArePolledInTurn() {
        stream.createShard("shard-1", null);
        stream.createShard("shard-2", null);
        stream.append("shard-1", "a", "1");
        stream.append("shard-2", "b", "1");
        ShardSplitReader<FakeRecord, String> reader = reader(settings(10));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"), split("shard-2"))));

        assertThat(fetch(reader).values()).containsExactly("a=1");
        assertThat(fetch(reader).values()).containsExactly("b=1");
        now.addAndGet(POLL);
        stream.append("shard-1", "a", "2");
        stream.append("shard-2", "b", "2");
        assertThat(fetch(reader).values()).containsExactly("a=2");
        assertThat(fetch(reader).values()).containsExactly("b=2");
    }

    @Test
    void readingAClosedShardToItsEndFinishesTheSplit() {
        stream.createShard("shard-1", null);
        stream.append("shard-1", "k1", "v1");
        stream.append("shard-1", "k2", "v2");
        stream.close("shard-1");
        ShardSplitReader<FakeRecord, String> reader = reader(settings(10));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));

        Fetch fetch = fetch(reader);

        assertThat(fetch.values()).containsExactly("k1=v1", "k2=v2");
        assertThat(fetch.finished).containsExactly("shard-1");
        now.addAndGet(10 * IDLE_MAX);
        assertThat(fetch(reader).records).isEmpty();
        assertThat(stream.getRecordsCalls()).isEqualTo(1);
    }

    @Test
    void emptyClosedShardFinishesOnItsFirstPoll() {
        stream.createShard("shard-1", null);
        stream.close("shard-1");
        ShardSplitReader<FakeRecord, String> reader = reader(settings(10));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));

        Fetch fetch = fetch(reader);

        assertThat(fetch.records).isEmpty();
        assertThat(fetch.finished).containsExactly("shard-1");
    }

    @Test
    void expiredIteratorIsRenewedAfterTheLastFetchedRecordWithoutGapsOrDuplicates() {
        stream.createShard("shard-1", null);
        stream.append("shard-1", "k1", "v1");
        FakeRecord second = stream.append("shard-1", "k2", "v2");
        ShardSplitReader<FakeRecord, String> reader = reader(settings(10));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));
        List<String> values = new ArrayList<>(fetch(reader).values());
        stream.append("shard-1", "k3", "v3");
        stream.append("shard-1", "k4", "v4");
        stream.expireIterators();
        now.addAndGet(POLL);

        Fetch failed = fetch(reader);
        assertThat(failed.records).isEmpty();
        assertThat(metrics.iteratorRefreshes().getCount()).isEqualTo(1);

        // The renewal does not wait for the next poll interval.
        values.addAll(fetch(reader).values());
        assertThat(values).containsExactly("k1=v1", "k2=v2", "k3=v3", "k4=v4");
        assertThat(stream.iteratorRequests("shard-1")).containsExactly(
                StartingPosition.trimHorizon(), StartingPosition.afterSequenceNumber(second.sequenceNumber()));
    }

    @Test
    void trimmedDataUnderFailStopsNamingShardStreamAndLastPosition() {
        stream.createShard("shard-1", null);
        List<FakeRecord> written = appendFive("shard-1");
        ShardSplitReader<FakeRecord, String> reader = reader(settings(2));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));
        assertThat(fetch(reader).values()).containsExactly("k1=v1", "k2=v2");

        stream.trimBefore("shard-1", written.get(3).sequenceNumber());

        assertThatThrownBy(() -> fetch(reader))
                .isInstanceOf(ShardDataTrimmedException.class)
                .hasMessageContaining("Shard shard-1 of stream " + STREAM)
                .hasMessageContaining("after sequence number " + written.get(1).sequenceNumber())
                .hasMessageContaining("RESTART_FROM_TRIM_HORIZON")
                .hasCauseInstanceOf(ShardDataTrimmedException.class);
        assertThat(metrics.trimmedDataRestarts().getCount()).isZero();
    }

    @Test
    void trimmedDataUnderRestartContinuesFromTheOldestRemainingRecord() {
        stream.createShard("shard-1", null);
        List<FakeRecord> written = appendFive("shard-1");
        ShardSplitReader<FakeRecord, String> reader =
                reader(settings(2).withTrimmedDataPolicy(TrimmedDataPolicy.RESTART_FROM_TRIM_HORIZON));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));
        assertThat(fetch(reader).values()).containsExactly("k1=v1", "k2=v2");

        stream.trimBefore("shard-1", written.get(3).sequenceNumber());

        assertThat(fetch(reader).records).isEmpty();
        assertThat(metrics.trimmedDataRestarts().getCount()).isEqualTo(1);
        Fetch resumed = fetch(reader);
        assertThat(resumed.values()).containsExactly("k4=v4", "k5=v5");
        assertThat(resumed.sequenceNumbers())
                .containsExactly(written.get(3).sequenceNumber(), written.get(4).sequenceNumber());
        assertThat(stream.iteratorRequests("shard-1"))
                .containsExactly(StartingPosition.trimHorizon(), StartingPosition.trimHorizon());
    }

    @Test
    void restoredPositionThatAgedOutRestartsFromTrimHorizonUnderRestart() {
        stream.createShard("shard-1", null);
        List<FakeRecord> written = appendFive("shard-1");
        stream.trimBefore("shard-1", written.get(2).sequenceNumber());
        ShardSplitReader<FakeRecord, String> reader =
                reader(settings(10).withTrimmedDataPolicy(TrimmedDataPolicy.RESTART_FROM_TRIM_HORIZON));
        ShardSplit restored = split("shard-1")
                .withStartingPosition(StartingPosition.afterSequenceNumber(written.get(0).sequenceNumber()));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(restored)));

        assertThat(fetch(reader).records).isEmpty();
        assertThat(fetch(reader).values()).containsExactly("k3=v3", "k4=v4", "k5=v5");
        assertThat(metrics.trimmedDataRestarts().getCount()).isEqualTo(1);
    }

    @Test
    void throttledShardIsNotPolledBeforeItsBackoffElapsesAndBacksOffLongerWhenThrottledAgain() {
        stream.createShard("shard-1", null);
        stream.append("shard-1", "k1", "v1");
        ShardSplitReader<FakeRecord, String> reader = reader(settings(10));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));
        stream.throttleNext(2);

        assertThat(fetch(reader).records).isEmpty();
        assertThat(metrics.throttles().getCount()).isEqualTo(1);
        // First backoff: the base (200 ms) plus up to half of it as jitter.
        assertThat(millisUntilNextGetRecords(reader, 2_000)).isBetween(THROTTLE_BASE, THROTTLE_BASE * 3 / 2 - 1);
        assertThat(metrics.throttles().getCount()).isEqualTo(2);
        // The second in a row waits twice as long.
        assertThat(millisUntilNextGetRecords(reader, 2_000))
                .isBetween(2 * THROTTLE_BASE, 2 * THROTTLE_BASE + THROTTLE_BASE / 2 - 1);

        assertThat(metrics.throttles().getCount()).isEqualTo(2);
        assertThat(stream.getRecordsCalls()).isEqualTo(3);
    }

    @Test
    void throttledShardContinuesWithItsRecordsAfterTheBackoff() {
        stream.createShard("shard-1", null);
        stream.append("shard-1", "k1", "v1");
        ShardSplitReader<FakeRecord, String> reader = reader(settings(10));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));
        stream.throttleNext(1);
        assertThat(fetch(reader).records).isEmpty();

        now.addAndGet(THROTTLE_BASE - 1);
        assertThat(fetch(reader).records).isEmpty();
        assertThat(stream.getRecordsCalls()).isEqualTo(1);

        now.addAndGet(THROTTLE_BASE);
        assertThat(fetch(reader).values()).containsExactly("k1=v1");
        assertThat(metrics.throttles().getCount()).isEqualTo(1);
    }

    @Test
    void throttleBackoffIsCappedAtTheMaximum() {
        stream.createShard("shard-1", null);
        ShardSplitReader<FakeRecord, String> reader = reader(settings(10));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));
        stream.throttleNext(6);
        fetch(reader);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waits.add(millisUntilNextGetRecords(reader, 5_000));
        }

        // 200, 400, 800, then the 1000 cap, each plus less than 100 ms of jitter.
        long[] floors = {200, 400, 800, THROTTLE_MAX, THROTTLE_MAX};
        for (int i = 0; i < floors.length; i++) {
            assertThat(waits.get(i)).as("wait %d of %s", i, waits)
                    .isBetween(floors[i], floors[i] + THROTTLE_BASE / 2 - 1);
        }
    }

    @Test
    void idleShardIsPolledLessAndLessOftenUpToTheMaximumThenPromptlyOnceRecordsFlow() {
        stream.createShard("shard-1", null);
        ShardSplitReader<FakeRecord, String> reader = reader(settings(10));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));
        assertThat(fetch(reader).records).isEmpty();

        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waits.add(millisUntilNextGetRecords(reader, 2_000));
        }
        assertThat(waits).containsExactly(100L, 200L, 400L, 800L, 800L);

        stream.append("shard-1", "k1", "v1");
        assertThat(millisUntilNextGetRecords(reader, 2_000)).isEqualTo(800L);
        assertThat(millisUntilNextGetRecords(reader, 2_000)).isEqualTo(100L);
        assertThat(millisUntilNextGetRecords(reader, 2_000)).isEqualTo(100L);
        assertThat(millisUntilNextGetRecords(reader, 2_000)).isEqualTo(200L);
    }

    @Test
    void fullBatchIsFollowedImmediatelyAndAShortOneWaitsForThePollInterval() {
        stream.createShard("shard-1", null);
        appendFive("shard-1");
        ShardSplitReader<FakeRecord, String> reader = reader(settings(2));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));

        assertThat(fetch(reader).values()).containsExactly("k1=v1", "k2=v2");
        assertThat(fetch(reader).values()).containsExactly("k3=v3", "k4=v4");
        assertThat(fetch(reader).values()).containsExactly("k5=v5");
        assertThat(fetch(reader).records).isEmpty();
        assertThat(stream.getRecordsCalls()).isEqualTo(3);

        now.addAndGet(POLL);
        fetch(reader);
        assertThat(stream.getRecordsCalls()).isEqualTo(4);
    }

    @Test
    void shardPinnedToTheFirstRunsLatestSkipsOlderRecordsAndLosesNoneWhenItsIteratorExpires() {
        stream.createShard("shard-1", null);
        stream.append("shard-1", "old", "skipped");
        now.addAndGet(5_000);
        ShardSplitReader<FakeRecord, String> reader = reader(settings(10));
        reader.handleSplitsChanges(new SplitsAddition<>(
                List.of(split("shard-1").withStartingPosition(StartingPosition.atTimestamp(now.get())))));
        assertThat(fetch(reader).records).isEmpty();

        stream.append("shard-1", "k1", "v1");
        stream.expireIterators();
        now.addAndGet(POLL);
        assertThat(fetch(reader).records).isEmpty();

        assertThat(fetch(reader).values()).containsExactly("k1=v1");
    }

    @Test
    void exportedLagIsTheMostLaggingShardOfTheReaderAndAFinishedShardNoLongerCounts() {
        MetricListener listener = new MetricListener();
        ShardSplitReader<FakeRecord, String> reader = new ShardSplitReader<>(stream, new FakeRecordConverter(),
                settings(2), new ShardReaderMetrics(listener.getMetricGroup()), now::get);
        Gauge<Long> lag = listener.<Long>getGauge(ExportedMetrics.GROUP, ExportedMetrics.MILLIS_BEHIND_LATEST)
                .orElseThrow();
        assertThat(lag.getValue()).as("before any batch").isEqualTo(-1L);

        stream.createShard("shard-1", null);
        stream.createShard("shard-2", null);
        appendFive("shard-1");
        stream.append("shard-2", "other", "1");
        now.addAndGet(3_000);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"), split("shard-2"))));

        assertThat(fetch(reader).values()).containsExactly("k1=v1", "k2=v2");
        assertThat(lag.getValue()).as("a full batch of records written 3 s ago").isEqualTo(3_000L);
        assertThat(fetch(reader).values()).containsExactly("other=1");
        assertThat(lag.getValue()).as("shard-2 is caught up, shard-1 is not").isEqualTo(3_000L);

        stream.close("shard-1");
        List<String> finished = new ArrayList<>();
        for (int i = 0; i < 4 && finished.isEmpty(); i++) {
            finished.addAll(fetch(reader).finished);
        }
        assertThat(finished).containsExactly("shard-1");
        assertThat(lag.getValue()).as("shard-1 is finished and shard-2 caught up").isZero();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private ShardSplitReader<FakeRecord, String> reader(ShardSourceSettings settings) {
        return new ShardSplitReader<>(stream, new FakeRecordConverter(), settings, metrics, now::get);
    }

    private static ShardSourceSettings settings(int maxRecordsPerPoll) {
        return new ShardSourceSettings(StartPosition.TRIM_HORIZON, 10_000, POLL, IDLE_MAX, maxRecordsPerPoll,
                TrimmedDataPolicy.FAIL, THROTTLE_BASE, THROTTLE_MAX, StreamChangePolicy.FAIL);
    }

    private static ShardSplit split(String shardId) {
        return new ShardSplit(STREAM, shardId, null, null, StartingPosition.trimHorizon(), false);
    }

    private List<FakeRecord> appendFive(String shardId) {
        List<FakeRecord> written = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            written.add(stream.append(shardId, "k" + i, "v" + i));
        }
        return written;
    }

    /** One fetch at the fake clock's time; woken first, so a fetch with nothing due returns without sleeping. */
    private static Fetch fetch(ShardSplitReader<FakeRecord, String> reader) {
        reader.wakeUp();
        RecordsWithSplitIds<FetchedRecord<String>> batch = reader.fetch();
        Fetch fetch = new Fetch();
        for (String splitId = batch.nextSplit(); splitId != null; splitId = batch.nextSplit()) {
            fetch.splitIds.add(splitId);
            for (FetchedRecord<String> r = batch.nextRecordFromSplit(); r != null; r = batch.nextRecordFromSplit()) {
                fetch.records.add(r);
            }
        }
        fetch.finished.addAll(batch.finishedSplits());
        batch.recycle();
        return fetch;
    }

    /** Advances the fake clock a millisecond at a time, fetching each time, until a GetRecords call happens. */
    private long millisUntilNextGetRecords(ShardSplitReader<FakeRecord, String> reader, long limit) {
        int calls = stream.getRecordsCalls();
        for (long waited = 1; waited <= limit; waited++) {
            now.incrementAndGet();
            fetch(reader);
            if (stream.getRecordsCalls() > calls) {
                return waited;
            }
        }
        throw new AssertionError("No GetRecords call within " + limit + " ms");
    }

    private static final class Fetch {
        final List<String> splitIds = new ArrayList<>();
        final List<FetchedRecord<String>> records = new ArrayList<>();
        final List<String> finished = new ArrayList<>();

        List<String> values() {
            return records.stream().map(FetchedRecord::value).collect(Collectors.toList());
        }

        List<String> sequenceNumbers() {
            return records.stream().map(FetchedRecord::sequenceNumber).collect(Collectors.toList());
        }
    }
}
