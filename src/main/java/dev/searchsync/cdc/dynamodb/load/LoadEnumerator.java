package dev.searchsync.cdc.dynamodb.load;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * Hands out a load's segments to the subtasks that ask, one at a time, and reports the load: metrics, a progress
 * line every 30 seconds, and a final line with the items each segment read. It fixes the load's start, and with it
 * the load's version, before any segment is read, and keeps both in its checkpoints.
 */
final class LoadEnumerator implements SplitEnumerator<SegmentSplit, LoadState> {
    private static final Logger LOG = LoggerFactory.getLogger(LoadEnumerator.class);
    static final long PROGRESS_LINE_MILLIS = 30_000;

    private final SplitEnumeratorContext<SegmentSplit> context;
    private final String tableName;
    private final TableScanner.Factory scanners;
    private final LongSupplier clock;
    private final long startedAtMillis;
    private final long loadVersion;
    private final int totalSegments;
    private final ArrayDeque<SegmentSplit> unassigned;
    private final Map<Integer, Long> finished;
    /** Items emitted so far by each segment being read, as the subtasks last said. */
    private final Map<Integer, Long> reading = new HashMap<>();
    private final long openedAtMillis;
    private final long scannedAtOpen;
    private long itemCountEstimate = -1;
    private boolean reported;

    LoadEnumerator(SplitEnumeratorContext<SegmentSplit> context, String tableName, TableScanner.Factory scanners,
            LongSupplier clock, LoadState state) {
        this.context = context;
        this.tableName = tableName;
        this.scanners = scanners;
        this.clock = clock;
        this.startedAtMillis = state.startedAtMillis;
        this.loadVersion = state.loadVersion;
        this.totalSegments = state.totalSegments;
        this.unassigned = new ArrayDeque<>(state.unassigned);
        this.finished = new TreeMap<>(state.finished);
        this.openedAtMillis = clock.getAsLong();
        this.scannedAtOpen = scanned();
    }

    /**
     * A new load of {@code totalSegments} segments starting now. Its version is {@code (T0 - margin)} seconds in
     * microseconds, minus one: below the version of every stream change from {@code T0 - margin} on (their
     * creation time in microseconds), above that of every earlier one (see docs/architecture.md, "The initial
     * load").
     */
    static LoadState newLoad(long nowMillis, Duration margin, int totalSegments) {
        long startSecond = Math.floorDiv(nowMillis, 1_000L);
        long version = (startSecond - margin.toSeconds()) * 1_000_000L - 1;
        List<SegmentSplit> splits = new ArrayList<>();
        for (int segment = 0; segment < totalSegments; segment++) {
            splits.add(SegmentSplit.start(segment, totalSegments, version));
        }
        return new LoadState(nowMillis, version, totalSegments, splits, Map.of());
    }

    @Override
    public void start() {
        try (TableScanner scanner = scanners.create()) {
            itemCountEstimate = scanner.describe().itemCountEstimate;
        } catch (RuntimeException e) {
            // Only the estimate (for the ETA) is lost: the readers describe the table again, and fail if they cannot.
            LOG.warn("Cannot describe table '{}' for the load's estimate: {}", tableName, e.toString());
        }
        LOG.info("Initial load of table '{}' {}: {} segments ({} done), version {}, about {} items", tableName,
                finished.isEmpty() && reading.isEmpty() && unassigned.size() == totalSegments ? "starts" : "resumes",
                totalSegments, finished.size(), loadVersion, itemCountEstimate < 0 ? "an unknown number of"
                        : itemCountEstimate);
        MetricGroup metrics = context.metricGroup();
        metrics.gauge("loadSegmentsTotal", () -> totalSegments);
        metrics.gauge("loadSegmentsDone", finished::size);
        metrics.gauge("loadItemsScanned", this::scanned);
        metrics.gauge("loadItemsPerSecond", this::itemsPerSecond);
        metrics.gauge("loadEtaSeconds", this::etaSeconds);
        context.callAsync(() -> null, (ignored, error) -> logProgress(), PROGRESS_LINE_MILLIS, PROGRESS_LINE_MILLIS);
        reportIfDone();
    }

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {
        SegmentSplit next = unassigned.poll();
        if (next == null) {
            context.signalNoMoreSplits(subtaskId);
        } else {
            context.assignSplit(next, subtaskId);
        }
    }

    @Override
    public void addSplitsBack(List<SegmentSplit> splits, int subtaskId) {
        // A subtask failed before a checkpoint recorded these: they go again, from where that checkpoint had them.
        for (SegmentSplit split : splits) {
            reading.remove(split.segment());
            unassigned.addFirst(split);
        }
    }

    @Override
    public void addReader(int subtaskId) {
        // Readers ask for segments themselves.
    }

    @Override
    public void handleSourceEvent(int subtaskId, SourceEvent event) {
        if (!(event instanceof LoadProgressEvent)) {
            LOG.warn("Ignoring unknown event {} from subtask {}", event, subtaskId);
            return;
        }
        LoadProgressEvent progress = (LoadProgressEvent) event;
        reading.putAll(progress.reading());
        progress.finished().forEach((segment, items) -> {
            reading.remove(segment);
            finished.put(segment, items);
        });
        reportIfDone();
    }

    @Override
    public LoadState snapshotState(long checkpointId) {
        return new LoadState(startedAtMillis, loadVersion, totalSegments, new ArrayList<>(unassigned), finished);
    }

    @Override
    public void close() {}

    long scanned() {
        long total = 0;
        for (long items : finished.values()) {
            total += items;
        }
        for (long items : reading.values()) {
            total += items;
        }
        return total;
    }

    private double itemsPerSecond() {
        long elapsed = clock.getAsLong() - openedAtMillis;
        return elapsed <= 0 ? 0 : (scanned() - scannedAtOpen) * 1_000.0 / elapsed;
    }

    /** Seconds left at the rate since this enumerator opened, against DynamoDB's item count; -1 when unknown. */
    long etaSeconds() {
        if (finished.size() == totalSegments) {
            return 0;
        }
        double rate = itemsPerSecond();
        long left = itemCountEstimate - scanned();
        return itemCountEstimate < 0 || rate <= 0 ? -1 : (long) Math.ceil(Math.max(0, left) / rate);
    }

    private void logProgress() {
        if (reported) {
            return;
        }
        long eta = etaSeconds();
        LOG.info("Initial load of table '{}': {}/{} segments done, {} items scanned{}, {} items/s, ETA {}", tableName,
                finished.size(), totalSegments, scanned(),
                itemCountEstimate < 0 ? "" : " of about " + itemCountEstimate, Math.round(itemsPerSecond()),
                eta < 0 ? "unknown" : Duration.ofSeconds(eta));
    }

    private void reportIfDone() {
        if (reported || finished.size() < totalSegments) {
            return;
        }
        reported = true;
        StringJoiner segments = new StringJoiner(", ");
        finished.forEach((segment, items) -> segments.add(segment + ": " + items));
        long seconds = Math.max(1, (clock.getAsLong() - startedAtMillis) / 1_000);
        long total = scanned();
        LOG.info("Initial load of table '{}' done: {} items scanned in {} ({} items/s), per segment {{}}; each"
                + " becomes a document at version {} unless the stream has a newer change of it. Reconcile with the"
                + " job's counters: snapshotsApplied + snapshotsSuperseded (order and version) = items scanned, less"
                + " conversion failures; snapshotsIndexed (OpenSearch writer) = documents written (in a run without"
                + " restarts)", tableName, total, Duration.ofSeconds(seconds), total / seconds, segments,
                loadVersion);
    }
}
