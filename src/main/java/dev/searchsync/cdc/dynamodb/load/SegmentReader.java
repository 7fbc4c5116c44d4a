package dev.searchsync.cdc.dynamodb.load;

import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.ChangeType;
import dev.searchsync.cdc.dynamodb.DynamoDbJson;

import org.apache.flink.connector.base.source.reader.RecordsBySplits;
import org.apache.flink.connector.base.source.reader.RecordsWithSplitIds;
import org.apache.flink.connector.base.source.reader.splitreader.SplitReader;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsAddition;
import org.apache.flink.connector.base.source.reader.splitreader.SplitsChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.LongSupplier;

/**
 * Reads the segments assigned to one source subtask, one at a time, a Scan page per fetch, at no more than its
 * share of {@code load/max.items.per.second}. Each item becomes an INSERT carrying the load's version; the page's
 * position stays here, and what a checkpoint records is the key of the last item emitted
 * ({@link SegmentSplitState}), so a restore resumes right after it.
 */
final class SegmentReader implements SplitReader<ChangeRecord, SegmentSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentReader.class);
    /** Scan's own page limit is 1 MB; more items per call would only make the pacing coarser. */
    static final int MAX_PAGE_ITEMS = 1_000;

    private final TableScanner scanner;
    private final String tableName;
    private final double itemsPerSecond;
    private final LoadReaderMetrics metrics;
    private final LongSupplier clock;
    private final Queue<Position> segments = new ArrayDeque<>();
    private final Object pause = new Object();
    private List<String> keyAttributes;
    private long nextPageAt;
    private boolean wokenUp;

    /**
     * @param itemsPerSecond this subtask's share of the load's rate
     * @param clock          epoch milliseconds
     */
    SegmentReader(TableScanner scanner, String tableName, double itemsPerSecond, LoadReaderMetrics metrics,
            LongSupplier clock) {
        this.scanner = scanner;
        this.tableName = tableName;
        this.itemsPerSecond = itemsPerSecond;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public RecordsWithSplitIds<ChangeRecord> fetch() throws IOException {
        Position position = segments.peek();
        RecordsBySplits.Builder<ChangeRecord> records = new RecordsBySplits.Builder<>();
        if (position == null || !waitForPace()) {
            return records.build();
        }
        if (keyAttributes == null) {
            keyAttributes = describe().keyAttributes;
        }
        SegmentSplit split = position.split;
        int limit = (int) Math.max(1, Math.min(MAX_PAGE_ITEMS, itemsPerSecond));
        long started = clock.getAsLong();
        TableScanner.Page page;
        try {
            page = scanner.scan(split.segment(), split.totalSegments(), position.startAfter, limit);
        } catch (SdkException e) {
            // The SDK has retried throttling already: the job restarts and the segment resumes after its last item.
            throw new IOException("Scan of segment " + split.segment() + " of " + split.totalSegments() + " of table '"
                    + tableName + "' failed: " + e.getMessage(), e);
        }
        long readAt = clock.getAsLong();
        for (Map<String, AttributeValue> item : page.items) {
            records.add(split.splitId(), toChange(item, split.loadVersion(), readAt));
        }
        metrics.page(page.items.size(), page.capacityUnits);
        // The next page waits until this one's items fit the rate.
        nextPageAt = started + (long) Math.ceil(page.items.size() * 1_000.0 / itemsPerSecond);
        if (page.lastEvaluatedKey == null) {
            records.addFinishedSplit(split.splitId());
            segments.poll();
        } else {
            position.startAfter = page.lastEvaluatedKey;
        }
        return records.build();
    }

    private TableScanner.Table describe() throws IOException {
        try {
            return scanner.describe();
        } catch (SdkException e) {
            throw new IOException("Cannot describe table '" + tableName + "' to load it: " + e.getMessage()
                    + ". Allow dynamodb:DescribeTable and dynamodb:Scan on it, or set load/mode=NEVER", e);
        }
    }

    /** Waits until the next page may be read; false when woken up first (the fetcher is being closed or given work). */
    private boolean waitForPace() {
        synchronized (pause) {
            long wait = nextPageAt - clock.getAsLong();
            while (wait > 0 && !wokenUp) {
                try {
                    pause.wait(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                wait = nextPageAt - clock.getAsLong();
            }
            wokenUp = false;
            return wait <= 0;
        }
    }

    /** The item as an INSERT of its whole image at the load's version. */
    private ChangeRecord toChange(Map<String, AttributeValue> item, long loadVersion, long readAt) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (String attribute : keyAttributes) {
            AttributeValue value = item.get(attribute);
            if (value != null) {
                key.put(attribute, value);
            }
        }
        ChangeRecord change = new ChangeRecord();
        change.setTableName(tableName);
        change.setEventName(ChangeType.INSERT);
        change.setKeyItem(key);
        change.setNewItem(item);
        change.setApproximateCreationTime(readAt);
        change.setLoadVersion(loadVersion);
        return change;
    }

    @Override
    public void handleSplitsChanges(SplitsChange<SegmentSplit> changes) {
        if (!(changes instanceof SplitsAddition)) {
            throw new UnsupportedOperationException("Unsupported split change " + changes);
        }
        for (SegmentSplit split : changes.splits()) {
            LOG.info("Loading {} of table '{}'", split, tableName);
            segments.add(new Position(split));
        }
    }

    @Override
    public void wakeUp() {
        synchronized (pause) {
            wokenUp = true;
            pause.notifyAll();
        }
    }

    @Override
    public void close() {
        scanner.close();
    }

    /** Where the next page of a segment starts. */
    private static final class Position {
        final SegmentSplit split;
        Map<String, AttributeValue> startAfter;

        Position(SegmentSplit split) {
            this.split = split;
            this.startAfter = split.startAfterKey() == null ? null : DynamoDbJson.read(split.startAfterKey());
        }
    }
}
