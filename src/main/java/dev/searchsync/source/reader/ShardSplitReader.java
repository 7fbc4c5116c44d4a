package dev.searchsync.source.reader;

import dev.searchsync.config.ShardSourceSettings;
import dev.searchsync.config.TrimmedDataPolicy;
import dev.searchsync.source.ShardRecordConverter;
import dev.searchsync.source.client.RecordBatch;
import dev.searchsync.source.client.ShardDataTrimmedException;
import dev.searchsync.source.client.ShardIteratorExpiredException;
import dev.searchsync.source.client.ShardNotFoundException;
import dev.searchsync.source.client.ShardThrottledException;
import dev.searchsync.source.client.StreamShardClient;
import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.StartingPosition;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Polls the shards of one reader in turn, one GetRecords in flight at a time, so each shard has exactly one
 * consumer. A shard that returned records is polled again as soon as the service's per-shard read rate allows
 * ({@link StreamShardClient#minPollSpacingMillis()}); idle shards are polled less and less often;
 * throttled shards back off; expired iterators are renewed from the last record read; trimmed positions follow
 * the configured {@link TrimmedDataPolicy}, which never ends a shard unless the service says it is gone.
 */
public final class ShardSplitReader<R, T> implements SplitReader<FetchedRecord<T>, ShardSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(ShardSplitReader.class);

    private final StreamShardClient<R> client;
    private final ShardRecordConverter<R, T> converter;
    private final ShardSourceSettings settings;
    private final ShardReaderMetrics metrics;
    private final LongSupplier clock;
    private final Map<String, Cursor> cursors = new HashMap<>();
    private final Deque<String> rotation = new ArrayDeque<>();
    private final Object wakeLock = new Object();
    private final long minPollSpacing;
    private boolean wokenUp;

    public ShardSplitReader(
            StreamShardClient<R> client,
            ShardRecordConverter<R, T> converter,
            ShardSourceSettings settings,
            ShardReaderMetrics metrics,
            LongSupplier clock) {
        this.client = client;
        this.converter = converter;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        this.minPollSpacing = client.minPollSpacingMillis();
    }

    @Override
    public RecordsWithSplitIds<FetchedRecord<T>> fetch() {
        Cursor cursor = nextDueCursor();
        if (cursor == null) {
            waitForNextDue();
            return new RecordsBySplits.Builder<FetchedRecord<T>>().build();
        }
        return poll(cursor);
    }

    private RecordsWithSplitIds<FetchedRecord<T>> poll(Cursor cursor) {
        RecordsBySplits.Builder<FetchedRecord<T>> out = new RecordsBySplits.Builder<>();
        String shardId = cursor.split.shardId();
        long now = clock.getAsLong();
        try {
            if (cursor.iterator == null) {
                cursor.iterator = client.getShardIterator(cursor.split.streamId(), shardId, cursor.resumePosition());
            }
            metrics.getRecordsCalls().inc();
            cursor.lastGetRecordsAt = now;
            RecordBatch<R> batch = client.getRecords(cursor.iterator, settings.maxRecordsPerPoll());
            cursor.throttledInARow = 0;
            cursor.trimmedInARow = 0;
            cursor.trimHorizonFallback = false;
            long newestArrival = -1;
            for (R record : batch.records()) {
                String sequenceNumber = client.sequenceNumber(record);
                long arrival = client.approximateArrivalMillis(record);
                cursor.lastFetched = sequenceNumber;
                newestArrival = Math.max(newestArrival, arrival);
                if (arrival < cursor.skipBefore) {
                    continue; // written before the pinned LATEST of the first run
                }
                cursor.skipBefore = Long.MIN_VALUE;
                out.add(shardId, new FetchedRecord<>(converter.convert(record, cursor.split), sequenceNumber, arrival));
            }
            metrics.recordsRead().inc(batch.records().size());
            metrics.millisBehindLatest(shardId, millisBehind(batch, newestArrival, now));
            if (batch.shardEnded()) {
                LOG.info("Shard {} read to its end (last sequence number {})", shardId, cursor.lastFetched);
                out.addFinishedSplit(shardId);
                remove(shardId);
            } else {
                cursor.iterator = batch.nextIterator();
                cursor.nextPollAt = now + nextDelay(cursor, batch.records().size());
            }
        } catch (ShardIteratorExpiredException e) {
            metrics.iteratorRefreshes().inc();
            LOG.debug("Iterator of shard {} expired; renewing it after {}", shardId, cursor.lastFetched);
            cursor.iterator = null;
        } catch (ShardThrottledException e) {
            metrics.throttles().inc();
            cursor.throttledInARow++;
            cursor.nextPollAt = now + backoff(cursor.throttledInARow);
            LOG.debug("Reads of shard {} throttled ({} in a row); backing off", shardId, cursor.throttledInARow);
        } catch (ShardDataTrimmedException e) {
            onTrimmed(cursor, e, out, now);
        }
        return out.build();
    }

    private void onTrimmed(
            Cursor cursor, ShardDataTrimmedException e, RecordsBySplits.Builder<FetchedRecord<T>> out, long now) {
        String shardId = cursor.split.shardId();
        String position = describe(cursor.resumePosition());
        if (settings.trimmedDataPolicy() == TrimmedDataPolicy.FAIL) {
            throw new ShardDataTrimmedException("Shard " + shardId + " of stream " + cursor.split.streamId()
                    + " no longer holds the records " + position + " (the last position read): they are older"
                    + " than the stream keeps. The job stops rather than skip them. Restore from an earlier"
                    + " snapshot, or set source/trimmed.data.policy=RESTART_FROM_TRIM_HORIZON to continue from"
                    + " the oldest record the shard still holds.", e);
        }
        metrics.trimmedDataRestarts().inc();
        if (e instanceof ShardNotFoundException) {
            // Only the service's word that the shard is gone ends it: it closed and aged out whole, nothing of it
            // can be read any more, and its children are next. A trimmed error alone never ends a shard, which
            // may well be open.
            LOG.error("DATA LOSS: shard {} of stream {} no longer exists: it closed and aged out of the stream"
                    + " before the records {} were read. Treating it as finished, as"
                    + " source/trimmed.data.policy=RESTART_FROM_TRIM_HORIZON says.", shardId,
                    cursor.split.streamId(), position, e);
            out.addFinishedSplit(shardId);
            remove(shardId);
            return;
        }
        cursor.trimmedInARow++;
        cursor.lastFetched = null;
        cursor.iterator = null;
        if (cursor.trimHorizonFallback) {
            // The oldest record aged out between GetShardIterator(TRIM_HORIZON) and GetRecords: the trim horizon
            // moved on. The shard is still there, so it is read on from its new oldest record, after a pause that
            // grows like the throttling back-off so that an error that persists cannot spin.
            long pause = backoff(cursor.trimmedInARow - 1);
            cursor.nextPollAt = now + pause;
            LOG.error("DATA LOSS: the oldest record of shard {} of stream {} aged out before it could be read"
                    + " ({} in a row); reading on from TRIM_HORIZON in {} ms.", shardId, cursor.split.streamId(),
                    cursor.trimmedInARow, pause, e);
            return;
        }
        LOG.error("DATA LOSS: shard {} of stream {} no longer holds the records {}; restarting it from"
                + " TRIM_HORIZON as source/trimmed.data.policy=RESTART_FROM_TRIM_HORIZON says. Records between"
                + " that position and the oldest record still held are lost.", shardId, cursor.split.streamId(),
                position, e);
        cursor.trimHorizonFallback = true;
    }

    private static String describe(StartingPosition position) {
        switch (position.type()) {
            case AFTER_SEQUENCE_NUMBER:
                return "after sequence number " + position.sequenceNumber();
            case AT_TIMESTAMP:
                return "from " + java.time.Instant.ofEpochMilli(position.timestamp());
            default:
                return "at " + position.type();
        }
    }

    /**
     * What the service says (Kinesis), else the age of the newest record read. A batch's size says nothing: the
     * service also stops at 1 MB, so a backlog of large items comes in short batches. Only an empty batch means
     * the reader reached what the shard holds now.
     */
    private static long millisBehind(RecordBatch<?> batch, long newestArrival, long now) {
        if (batch.millisBehindLatest() != null) {
            return batch.millisBehindLatest();
        }
        if (newestArrival > 0) { // 0: the service gave no creation time
            return Math.max(0, now - newestArrival);
        }
        return 0;
    }

    /**
     * A batch with records is followed at once, short or not (a short batch may have stopped at 1 MB with more
     * waiting), within the service's read-rate limit ({@link #dueAt}); the throttling back-off guards the rest. Only an empty batch starts the idle pause.
     */
    private long nextDelay(Cursor cursor, int records) {
        if (records > 0) {
            cursor.idleDelay = 0;
            return 0;
        }
        cursor.idleDelay = cursor.idleDelay == 0
                ? settings.pollIntervalMillis()
                : Math.min(settings.idlePollMaxIntervalMillis(), cursor.idleDelay * 2);
        return cursor.idleDelay;
    }

    private long backoff(int attempt) {
        long base = settings.throttleBackoffBaseMillis();
        long delay = base << Math.min(attempt - 1, 20);
        delay = Math.min(settings.throttleBackoffMaxMillis(), delay);
        return delay + ThreadLocalRandom.current().nextLong(Math.max(1, base / 2));
    }

    private Cursor nextDueCursor() {
        long now = clock.getAsLong();
        for (int i = 0; i < rotation.size(); i++) {
            String shardId = rotation.pollFirst();
            rotation.addLast(shardId);
            Cursor cursor = cursors.get(shardId);
            if (dueAt(cursor) <= now) {
                return cursor;
            }
        }
        return null;
    }

    private void waitForNextDue() {
        long now = clock.getAsLong();
        long wait = 1_000;
        for (Cursor cursor : cursors.values()) {
            wait = Math.min(wait, dueAt(cursor) - now);
        }
        synchronized (wakeLock) {
            if (!wokenUp && wait > 0) {
                try {
                    wakeLock.wait(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            wokenUp = false;
        }
    }

    /**
     * The later of the shard's own schedule and the service's read-rate limit counted from its previous call:
     * a failed call (throttled, expired) counts against the limit as much as one that returned records.
     */
    private long dueAt(Cursor cursor) {
        return Math.max(cursor.nextPollAt, cursor.lastGetRecordsAt + minPollSpacing);
    }

    private void remove(String shardId) {
        cursors.remove(shardId);
        rotation.remove(shardId);
        metrics.shardFinished(shardId);
    }

    @Override
    public void handleSplitsChanges(SplitsChange<ShardSplit> changes) {
        if (!(changes instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("Unsupported split change " + changes);
        }
        for (ShardSplit split : changes.splits()) {
            cursors.put(split.shardId(), new Cursor(split));
            rotation.addLast(split.shardId());
        }
    }

    @Override
    public void wakeUp() {
        synchronized (wakeLock) {
            wokenUp = true;
            wakeLock.notifyAll();
        }
    }

    @Override
    public void close() {
        client.close();
    }

    /** Where the fetch thread stands in one shard; ahead of the checkpointed position by what is queued. */
    private static final class Cursor {
        final ShardSplit split;
        String iterator;
        String lastFetched;
        long nextPollAt;
        long lastGetRecordsAt = Long.MIN_VALUE / 2;
        long idleDelay;
        int throttledInARow;
        /** Trimmed errors since the last good read: the first restarts at once, later ones back off. */
        int trimmedInARow;
        boolean trimHorizonFallback;
        /**
         * Records that arrived before this are skipped. Services without AT_TIMESTAMP read such a shard from its
         * start; one second of slack covers creation times rounded to the second (a few extra records are
         * harmless downstream, a missing one is not).
         */
        long skipBefore = Long.MIN_VALUE;

        Cursor(ShardSplit split) {
            this.split = split;
            if (split.startingPosition().type() == StartingPosition.Type.AT_TIMESTAMP) {
                skipBefore = split.startingPosition().timestamp() - 1_000;
            }
        }

        StartingPosition resumePosition() {
            if (trimHorizonFallback) {
                return StartingPosition.trimHorizon();
            }
            return lastFetched != null ? StartingPosition.afterSequenceNumber(lastFetched) : split.startingPosition();
        }
    }
}
