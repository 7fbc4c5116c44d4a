package dev.searchsync.source.reader;

import dev.searchsync.config.ShardSourceSettings;
import dev.searchsync.source.ShardStreamSource;
import dev.searchsync.source.event.ReaderReadyEvent;
import dev.searchsync.source.event.RestoredShardsConfirmedEvent;
import dev.searchsync.source.event.ShardsFinishedAckEvent;
import dev.searchsync.source.event.ShardsFinishedEvent;
import dev.searchsync.source.event.StreamReplacedEvent;
import dev.searchsync.source.fake.FakeRecord;
import dev.searchsync.source.fake.FakeRecordConverter;
import dev.searchsync.source.fake.FakeStream;
import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.StartingPosition;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.connector.testutils.source.reader.TestingReaderContext;
import org.apache.flink.connector.testutils.source.reader.TestingReaderOutput;
import org.apache.flink.core.io.InputStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** The reader as Flink drives it: finish reports, finished splits kept in checkpoints until acked, resume points. */
class ShardSourceReaderTest {
    private static final String STREAM = "arn:fake:stream/orders";

    private final FakeStream stream = new FakeStream(STREAM);
    private final ShardStreamSource<FakeRecord, String> source = new ShardStreamSource<>(
            () -> stream, new FakeRecordConverter(), ShardSourceSettings.defaults().withPolling(10, 50, 100));
    private final List<SourceReader<String, ShardSplit>> readers = new ArrayList<>();

    @AfterEach
    void closeReaders() throws Exception {
        for (SourceReader<String, ShardSplit> reader : readers) {
            reader.close();
        }
    }

    @Test
    void shardReadToItsEndIsReportedAndStaysInCheckpointsUntilAcked() throws Exception {
        stream.createShard("shard-1", null);
        stream.append("shard-1", "k1", "v1");
        FakeRecord last = stream.append("shard-1", "k2", "v2");
        stream.close("shard-1");
        TestingReaderContext context = new TestingReaderContext();
        TestingReaderOutput<String> output = new TestingReaderOutput<>();
        SourceReader<String, ShardSplit> reader = started(context);

        reader.addSplits(List.of(split("shard-1")));
        pollUntil(reader, output, () -> !finishReports(context).isEmpty());

        assertThat(output.getEmittedRecords()).containsExactly("k1=v1", "k2=v2");
        assertThat(finishReports(context)).containsExactly(List.of("shard-1"));
        ShardSplit finished = split("shard-1").withStartingPosition(after(last)).asFinished();
        assertThat(reader.snapshotState(1L)).containsExactly(finished);

        reader.handleSourceEvents(new ShardsFinishedAckEvent(List.of("shard-0")));
        assertThat(reader.snapshotState(2L)).containsExactly(finished);

        reader.handleSourceEvents(new ShardsFinishedAckEvent(List.of("shard-1")));
        assertThat(reader.snapshotState(3L)).isEmpty();
    }

    @Test
    void finishedSplitGivenBackOnRestoreIsReportedAgainAndNotRead() throws Exception {
        stream.createShard("shard-1", null);
        FakeRecord lastOfOne = stream.append("shard-1", "a", "1");
        stream.close("shard-1");
        stream.createShard("shard-2", null);
        FakeRecord onlyOfTwo = stream.append("shard-2", "b", "1");
        ShardSplit finished = split("shard-1").withStartingPosition(after(lastOfOne)).asFinished();
        TestingReaderContext context = new TestingReaderContext();
        TestingReaderOutput<String> output = new TestingReaderOutput<>();
        SourceReader<String, ShardSplit> reader = reader(context);

        // As Flink restores a reader: the checkpointed splits first, then start().
        reader.addSplits(List.of(finished, split("shard-2")));
        reader.start();

        assertThat(context.getSentEvents()).singleElement().usingRecursiveComparison()
                .isEqualTo(new ReaderReadyEvent(STREAM, List.of("shard-2"), List.of("shard-1")));
        Thread.sleep(100);
        assertThat(stream.iteratorRequests("shard-2")).as("nothing read before the stream is confirmed").isEmpty();
        assertThat(reader.snapshotState(0L)).as("and nothing lost").containsExactly(split("shard-2"), finished);
        reader.handleSourceEvents(new RestoredShardsConfirmedEvent());
        pollUntil(reader, output, () -> output.getEmittedRecords().size() == 1);
        assertThat(output.getEmittedRecords()).containsExactly("b=1");
        assertThat(stream.iteratorRequests("shard-1")).isEmpty();
        assertThat(stream.getRecordsCalls("shard-1")).isZero();
        ShardSplit active = split("shard-2").withStartingPosition(after(onlyOfTwo));
        assertThat(reader.snapshotState(1L)).containsExactly(active, finished);

        reader.handleSourceEvents(new ShardsFinishedAckEvent(List.of("shard-1")));
        assertThat(reader.snapshotState(2L)).containsExactly(active);
        assertThat(finishReports(context)).isEmpty();
    }

    @Test
    void checkpointOfAnActiveShardResumesAfterTheLastEmittedRecord() throws Exception {
        stream.createShard("shard-1", null);
        FakeRecord first = stream.append("shard-1", "k1", "v1");
        stream.append("shard-1", "k2", "v2");
        FakeRecord third = stream.append("shard-1", "k3", "v3");
        TestingReaderContext context = new TestingReaderContext();
        TestingReaderOutput<String> output = new TestingReaderOutput<>();
        SourceReader<String, ShardSplit> reader = started(context);
        reader.addSplits(List.of(split("shard-1")));

        // Emitted, not fetched, decides: the fetcher may already hold all three records.
        pollUntil(reader, output, () -> output.getEmittedRecords().size() == 1);
        assertThat(reader.snapshotState(1L)).containsExactly(split("shard-1").withStartingPosition(after(first)));
        pollUntil(reader, output, () -> output.getEmittedRecords().size() == 3);
        List<ShardSplit> checkpoint = reader.snapshotState(2L);
        assertThat(checkpoint).containsExactly(split("shard-1").withStartingPosition(after(third)));
        assertThat(finishReports(context)).isEmpty();

        stream.append("shard-1", "k4", "v4");
        TestingReaderOutput<String> restoredOutput = new TestingReaderOutput<>();
        SourceReader<String, ShardSplit> restored = reader(new TestingReaderContext());
        restored.addSplits(checkpoint);
        restored.start();
        restored.handleSourceEvents(new RestoredShardsConfirmedEvent());
        pollUntil(restored, restoredOutput, () -> !restoredOutput.getEmittedRecords().isEmpty());

        assertThat(restoredOutput.getEmittedRecords()).containsExactly("k4=v4");
        assertThat(stream.iteratorRequests("shard-1"))
                .containsExactly(StartingPosition.trimHorizon(), after(third));
    }

    @Test
    void shardsOfAReplacedStreamAreDroppedUnreadAndTheReaderReportsReadyAgain() throws Exception {
        stream.createShard("shard-1", null);
        stream.append("shard-1", "k1", "v1");
        stream.createShard("shard-2", null);
        FakeRecord lastOfTwo = stream.append("shard-2", "k2", "v2");
        stream.close("shard-2");
        ShardSplit finished = split("shard-2").withStartingPosition(after(lastOfTwo)).asFinished();
        TestingReaderContext context = new TestingReaderContext();
        TestingReaderOutput<String> output = new TestingReaderOutput<>();
        SourceReader<String, ShardSplit> reader = reader(context);
        reader.addSplits(List.of(split("shard-1"), finished));
        reader.start();

        reader.handleSourceEvents(new StreamReplacedEvent(STREAM, "arn:fake:stream/orders-recreated"));
        Thread.sleep(100); // time for a fetcher to read, were the shard given to one
        reader.pollNext(output);

        assertThat(readyReports(context)).extracting(Object::toString).containsExactly(
                new ReaderReadyEvent(STREAM, List.of("shard-1"), List.of("shard-2")).toString(),
                new ReaderReadyEvent(null, List.of(), List.of()).toString());
        assertThat(stream.iteratorRequests("shard-1")).isEmpty();
        assertThat(output.getEmittedRecords()).isEmpty();
        assertThat(reader.snapshotState(1L)).isEmpty();
        assertThat(finishReports(context)).as("a dropped shard is not a finished one").isEmpty();
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static List<ReaderReadyEvent> readyReports(TestingReaderContext context) {
        List<ReaderReadyEvent> reports = new ArrayList<>();
        for (SourceEvent event : context.getSentEvents()) {
            if (event instanceof ReaderReadyEvent) {
                reports.add((ReaderReadyEvent) event);
            }
        }
        return reports;
    }

    private SourceReader<String, ShardSplit> reader(TestingReaderContext context) throws Exception {
        SourceReader<String, ShardSplit> reader = source.createReader(context);
        readers.add(reader);
        return reader;
    }

    private SourceReader<String, ShardSplit> started(TestingReaderContext context) throws Exception {
        SourceReader<String, ShardSplit> reader = reader(context);
        reader.start();
        return reader;
    }

    private static ShardSplit split(String shardId) {
        return new ShardSplit(STREAM, shardId, null, null, StartingPosition.trimHorizon(), false);
    }

    private static StartingPosition after(FakeRecord record) {
        return StartingPosition.afterSequenceNumber(record.sequenceNumber());
    }

    private static List<List<String>> finishReports(TestingReaderContext context) {
        List<List<String>> reports = new ArrayList<>();
        for (SourceEvent event : context.getSentEvents()) {
            if (event instanceof ShardsFinishedEvent) {
                reports.add(((ShardsFinishedEvent) event).shardIds());
            }
        }
        return reports;
    }

    /** Drives the reader as the task thread would until {@code done}; its fetcher thread works meanwhile. */
    private static void pollUntil(
            SourceReader<String, ShardSplit> reader, TestingReaderOutput<String> output, BooleanSupplier done)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Gave up after 10 s; emitted so far: " + output.getEmittedRecords());
            }
            if (reader.pollNext(output) == InputStatus.NOTHING_AVAILABLE) {
                try {
                    reader.isAvailable().get(10, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // poll again
                }
            }
        }
    }
}
