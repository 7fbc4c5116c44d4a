package dev.searchsync.source.reader;

import dev.searchsync.config.ShardSourceSettings;
import dev.searchsync.config.StartPosition;
import dev.searchsync.config.StreamChangePolicy;
import dev.searchsync.config.TrimmedDataPolicy;
import dev.searchsync.metrics.ExportedMetrics;
import dev.searchsync.source.client.ShardDataTrimmedException;
import dev.searchsync.source.client.ShardNotFoundException;
import dev.searchsync.source.fake.FakeRecord;
import dev.searchsync.source.fake.FakeRecordConverter;
import dev.searchsync.source.fake.FakeStream;
import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.StartingPosition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.runtime.metrics.groups.GenericMetricGroup;
import org.apache.flink.runtime.metrics.util.TestingMetricRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
        assertThat(metrics.recordsRead().getCount()).isEqualTo(4);
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
    void restartFromTrimHorizonNeverFinishesAnOpenShardWhoseOldestRecordAgesOutBeforeItIsRead() {
        stream.createShard("shard-1", null);
        List<FakeRecord> written = new ArrayList<>();
        for (int i = 1; i <= 7; i++) {
            written.add(stream.append("shard-1", "k" + i, "v" + i));
        }
        ShardSplitReader<FakeRecord, String> reader =
                reader(settings(2).withTrimmedDataPolicy(TrimmedDataPolicy.RESTART_FROM_TRIM_HORIZON));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));
        assertThat(fetch(reader).values()).containsExactly("k1=v1", "k2=v2");
        stream.trimBefore("shard-1", written.get(3).sequenceNumber());
        assertThat(fetch(reader).records).isEmpty();
        assertThat(metrics.trimmedDataRestarts().getCount()).isEqualTo(1);

        // The trim horizon keeps moving: twice, the oldest record ages out between the fresh TRIM_HORIZON
        // iterator and the GetRecords that uses it. The shard is open, so it must be read on, never finished.
        stream.trimBeforeNextGetRecords("shard-1", written.get(4).sequenceNumber());
        stream.trimBeforeNextGetRecords("shard-1", written.get(5).sequenceNumber());
        Fetch second = fetch(reader);
        assertThat(second.finished).as("an open shard finished after a second trimmed read").isEmpty();
        assertThat(second.records).isEmpty();
        assertThat(metrics.trimmedDataRestarts().getCount()).isEqualTo(2);

        // Each further restart waits like the throttling back-off, so a persisting error does not spin.
        Timed third = untilNextGetRecords(reader, 5_000);
        assertThat(third.waited).isBetween(THROTTLE_BASE, THROTTLE_BASE * 3 / 2 - 1);
        assertThat(third.fetch.finished).isEmpty();
        assertThat(metrics.trimmedDataRestarts().getCount()).isEqualTo(3);
        Timed fourth = untilNextGetRecords(reader, 5_000);
        assertThat(fourth.waited).isBetween(2 * THROTTLE_BASE, 2 * THROTTLE_BASE + THROTTLE_BASE / 2 - 1);
        assertThat(fourth.fetch.values()).containsExactly("k6=v6", "k7=v7");

        stream.append("shard-1", "k8", "v8");
        List<String> later = new ArrayList<>();
        for (int i = 0; i < 5 && later.isEmpty(); i++) {
            Fetch fetch = untilNextGetRecords(reader, 5_000).fetch;
            assertThat(fetch.finished).isEmpty();
            later.addAll(fetch.values());
        }
        assertThat(later).containsExactly("k8=v8");
        assertThat(metrics.trimmedDataRestarts().getCount()).isEqualTo(3);
        assertThat(stream.iteratorRequests("shard-1")).containsExactly(StartingPosition.trimHorizon(),
                StartingPosition.trimHorizon(), StartingPosition.trimHorizon(), StartingPosition.trimHorizon());
    }

    @Test
    void shardThatAgedOutWholeIsFinishedUnderRestartAndCountedAsDataLoss() {
        stream.createShard("shard-1", null);
        List<FakeRecord> written = appendFive("shard-1");
        stream.expire("shard-1");
        ShardSplitReader<FakeRecord, String> reader =
                reader(settings(10).withTrimmedDataPolicy(TrimmedDataPolicy.RESTART_FROM_TRIM_HORIZON));
        StartingPosition restoredAt = StartingPosition.afterSequenceNumber(written.get(0).sequenceNumber());
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1").withStartingPosition(restoredAt))));

        Fetch fetch = fetch(reader);

        assertThat(fetch.records).isEmpty();
        assertThat(fetch.finished).containsExactly("shard-1");
        assertThat(metrics.trimmedDataRestarts().getCount()).isEqualTo(1);
        now.addAndGet(10 * IDLE_MAX);
        fetch(reader);
        assertThat(stream.iteratorRequests("shard-1")).containsExactly(restoredAt);
    }

    @Test
    void shardThatAgedOutWholeStopsTheJobUnderFail() {
        stream.createShard("shard-1", null);
        List<FakeRecord> written = appendFive("shard-1");
        stream.expire("shard-1");
        ShardSplitReader<FakeRecord, String> reader = reader(settings(10));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1")
                .withStartingPosition(StartingPosition.afterSequenceNumber(written.get(0).sequenceNumber())))));

        assertThatThrownBy(() -> fetch(reader))
                .isInstanceOf(ShardDataTrimmedException.class)
                .hasMessageContaining("Shard shard-1 of stream " + STREAM)
                .hasMessageContaining("after sequence number " + written.get(0).sequenceNumber())
                .hasCauseInstanceOf(ShardNotFoundException.class);
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
        assertThat(untilNextGetRecords(reader, 2_000).waited).isEqualTo(800L);
        // A batch with records is followed at once; the next empty one starts the back-off from the poll interval.
        int calls = stream.getRecordsCalls();
        assertThat(fetch(reader).records).isEmpty();
        assertThat(stream.getRecordsCalls()).isEqualTo(calls + 1);
        assertThat(millisUntilNextGetRecords(reader, 2_000)).isEqualTo(100L);
        assertThat(millisUntilNextGetRecords(reader, 2_000)).isEqualTo(200L);
    }

    @Test
    void batchWithRecordsIsFollowedAtOnceAndOnlyAnEmptyOneWaitsForThePollInterval() {
        stream.createShard("shard-1", null);
        appendFive("shard-1");
        ShardSplitReader<FakeRecord, String> reader = reader(settings(2));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));

        assertThat(fetch(reader).values()).containsExactly("k1=v1", "k2=v2");
        assertThat(fetch(reader).values()).containsExactly("k3=v3", "k4=v4");
        // Short, yet it returned records: the shard may hold more (the service also stops at 1 MB).
        assertThat(fetch(reader).values()).containsExactly("k5=v5");
        assertThat(fetch(reader).records).isEmpty();
        assertThat(stream.getRecordsCalls()).isEqualTo(4);
        assertThat(fetch(reader).records).isEmpty();
        assertThat(stream.getRecordsCalls()).isEqualTo(4);

        now.addAndGet(POLL);
        fetch(reader);
        assertThat(stream.getRecordsCalls()).isEqualTo(5);
    }

    @Test
    void serviceReadRateLimitSpacesGetRecordsOnAShardEvenRightAfterABatchWithRecords() {
        stream.limitReadsToOneEvery(200);
        stream.createShard("shard-1", null);
        appendFive("shard-1");
        ShardSplitReader<FakeRecord, String> reader = reader(settings(2));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));

        assertThat(fetch(reader).values()).containsExactly("k1=v1", "k2=v2");
        assertThat(fetch(reader).records).as("a second call at once would exceed the shard's read rate").isEmpty();
        assertThat(stream.getRecordsCalls()).isEqualTo(1);

        Timed second = untilNextGetRecords(reader, 2_000);
        assertThat(second.waited).isEqualTo(200L);
        assertThat(second.fetch.values()).containsExactly("k3=v3", "k4=v4");
        assertThat(untilNextGetRecords(reader, 2_000).waited).isEqualTo(200L);
        // Caught up: the idle pause (100 ms) is shorter than the limit, so the limit decides.
        assertThat(fetch(reader).records).isEmpty();
        assertThat(millisUntilNextGetRecords(reader, 2_000)).isEqualTo(200L);
    }

    @Test
    void serviceReadRateLimitIsPerShardSoOtherShardsAreReadMeanwhile() {
        stream.limitReadsToOneEvery(200);
        stream.createShard("shard-1", null);
        stream.createShard("shard-2", null);
        appendFive("shard-1");
        stream.append("shard-2", "b", "1");
        stream.append("shard-2", "b", "2");
        stream.append("shard-2", "b", "3");
        ShardSplitReader<FakeRecord, String> reader = reader(settings(2));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"), split("shard-2"))));

        assertThat(fetch(reader).values()).containsExactly("k1=v1", "k2=v2");
        assertThat(fetch(reader).values()).containsExactly("b=1", "b=2");
        assertThat(fetch(reader).records).isEmpty();
        assertThat(stream.getRecordsCalls()).isEqualTo(2);

        now.addAndGet(200);
        assertThat(fetch(reader).values()).containsExactly("k3=v3", "k4=v4");
        assertThat(fetch(reader).values()).containsExactly("b=3");
        assertThat(stream.getRecordsCalls("shard-1")).isEqualTo(2);
        assertThat(stream.getRecordsCalls("shard-2")).isEqualTo(2);
    }

    @Test
    void renewedIteratorWaitsForTheServiceReadRateLimitAfterTheCallThatFoundItExpired() {
        stream.limitReadsToOneEvery(200);
        stream.createShard("shard-1", null);
        stream.append("shard-1", "k1", "v1");
        ShardSplitReader<FakeRecord, String> reader = reader(settings(10));
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));
        assertThat(fetch(reader).values()).containsExactly("k1=v1");
        stream.append("shard-1", "k2", "v2");
        stream.expireIterators();
        now.addAndGet(200);
        assertThat(fetch(reader).records).isEmpty();
        assertThat(metrics.iteratorRefreshes().getCount()).isEqualTo(1);

        Timed renewed = untilNextGetRecords(reader, 2_000);
        assertThat(renewed.waited).isEqualTo(200L);
        assertThat(renewed.fetch.values()).containsExactly("k2=v2");
    }

    @Test
    void backlogReadInByteCappedBatchesIsReadWithoutPausesAndReportsItsTrueLag() {
        // The real service stops a batch at 1 MB as well as at the record limit: 10 KB items come 5 to a batch
        // here, though 100 are asked for. The emulators do not cap bytes, so the fake shows it.
        stream.capBatchBytes(55_000);
        MetricListener listener = new MetricListener();
        ShardSplitReader<FakeRecord, String> reader = new ShardSplitReader<>(stream, new FakeRecordConverter(),
                settings(100), new ShardReaderMetrics(listener.getMetricGroup()), now::get);
        Gauge<Long> lag = listener.<Long>getGauge(ExportedMetrics.GROUP, ExportedMetrics.MILLIS_BEHIND_LATEST)
                .orElseThrow();
        stream.createShard("shard-1", null);
        List<FakeRecord> written = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            written.add(stream.append("shard-1", "k" + i, "x".repeat(10_000)));
            now.addAndGet(100);
        }
        now.addAndGet(60_000); // a minute of backlog
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-1"))));

        for (int batch = 0; batch < 6; batch++) {
            Fetch fetch = fetch(reader);
            assertThat(fetch.records).as("batch %d, read at once", batch).hasSize(5);
            assertThat(fetch.sequenceNumbers()).first()
                    .isEqualTo(written.get(5 * batch).sequenceNumber());
            assertThat(lag.getValue()).as("lag after batch %d", batch)
                    .isEqualTo(now.get() - written.get(5 * batch + 4).arrivalMillis());
        }
        assertThat(stream.getRecordsCalls()).isEqualTo(6);

        // Caught up: the empty batch says so, and only it starts the idle back-off.
        assertThat(fetch(reader).records).isEmpty();
        assertThat(lag.getValue()).isZero();
        assertThat(millisUntilNextGetRecords(reader, 2_000)).isEqualTo(POLL);
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

    @Test
    void metricsOfFinishedShardsDoNotPileUpOnALongRunningReader() {
        // A registry that records what is registered and unregistered, as a metric reporter sees it.
        Map<String, Metric> registered = new ConcurrentHashMap<>();
        TestingMetricRegistry registry = TestingMetricRegistry.builder()
                .setDelimiter('.')
                .setRegisterConsumer((metric, name, group) -> registered.put(group.getMetricIdentifier(name), metric))
                .setUnregisterConsumer((metric, name, group) -> registered.remove(group.getMetricIdentifier(name)))
                .build();
        ShardSplitReader<FakeRecord, String> reader = new ShardSplitReader<>(stream, new FakeRecordConverter(),
                settings(1), new ShardReaderMetrics(new GenericMetricGroup(registry, null, "source")), now::get);
        int registeredBefore = registered.size();

        // A shard rolls over every ~4 h: 50 rollovers are about eight days of one shard lineage.
        List<String> finished = new ArrayList<>();
        String parent = null;
        for (int i = 0; i < 50; i++) {
            String shardId = stream.createShard("shard-" + i, parent);
            stream.append(shardId, "k" + i, "v" + i);
            stream.close(shardId);
            reader.handleSplitsChanges(new SplitsAddition<>(List.of(split(shardId))));
            finished.addAll(fetch(reader).finished);
            parent = shardId;
        }
        stream.createShard("shard-50", parent);
        stream.append("shard-50", "k50", "v50");
        now.addAndGet(2_000);
        reader.handleSplitsChanges(new SplitsAddition<>(List.of(split("shard-50"))));
        assertThat(fetch(reader).values()).containsExactly("k50=v50");
        assertThat(finished).hasSize(50);

        List<String> ofFinishedShards = registered.keySet().stream()
                .filter(id -> finished.stream().anyMatch(shardId -> id.contains("." + shardId + ".")))
                .sorted()
                .collect(Collectors.toList());
        assertThat(ofFinishedShards).as("metrics still registered for finished shards").isEmpty();
        assertThat(registered.size()).as("metrics registered: %s", registered.keySet())
                .isLessThanOrEqualTo(registeredBefore + 2);
        @SuppressWarnings("unchecked")
        Gauge<Long> lag = (Gauge<Long>) registered.get(
                "source." + ExportedMetrics.GROUP + "." + ExportedMetrics.MILLIS_BEHIND_LATEST);
        assertThat(lag.getValue()).as("the live shard's record was written 2 s ago").isEqualTo(2_000L);
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
        return untilNextGetRecords(reader, limit).waited;
    }

    /** The same, returning also what the fetch that made the call gave. */
    private Timed untilNextGetRecords(ShardSplitReader<FakeRecord, String> reader, long limit) {
        int calls = stream.getRecordsCalls();
        for (long waited = 1; waited <= limit; waited++) {
            now.incrementAndGet();
            Fetch fetch = fetch(reader);
            if (stream.getRecordsCalls() > calls) {
                return new Timed(waited, fetch);
            }
        }
        throw new AssertionError("No GetRecords call within " + limit + " ms");
    }

    private static final class Timed {
        final long waited;
        final Fetch fetch;

        Timed(long waited, Fetch fetch) {
            this.waited = waited;
            this.fetch = fetch;
        }
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
