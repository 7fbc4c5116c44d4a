package dev.searchsync.cdc.dynamodb.load;

import dev.searchsync.cdc.dynamodb.ChangeRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.time.Duration;
import java.util.Objects;

/**
 * The initial load: a bounded FLIP-27 source that reads a table with a parallel Scan, one split per segment, and
 * emits each item as an INSERT at the load's version, beside the stream and into the same ordering step. It is
 * created without state only when the job starts without state; a restore resumes it where its checkpoint left
 * each segment, and once finished it stays finished.
 */
public final class TableLoadSource
        implements Source<ChangeRecord, SegmentSplit, LoadState>, ResultTypeQueryable<ChangeRecord> {
    private static final long serialVersionUID = 1L;

    private final String tableName;
    private final TableScanner.Factory scanners;
    private final int maxItemsPerSecond;
    private final int segments;
    private final Duration margin;

    /**
     * @param maxItemsPerSecond all subtasks together
     * @param segments          Scan segments; 0 for four per source subtask
     * @param margin            how far before the load's start a change must be for the loaded item to win over it
     */
    public TableLoadSource(String tableName, TableScanner.Factory scanners, int maxItemsPerSecond, int segments,
            Duration margin) {
        this.tableName = Objects.requireNonNull(tableName);
        this.scanners = Objects.requireNonNull(scanners);
        if (maxItemsPerSecond < 1 || segments < 0) {
            throw new IllegalArgumentException("maxItemsPerSecond " + maxItemsPerSecond + ", segments " + segments);
        }
        this.maxItemsPerSecond = maxItemsPerSecond;
        this.segments = segments;
        this.margin = Objects.requireNonNull(margin);
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<ChangeRecord, SegmentSplit> createReader(SourceReaderContext context) {
        LoadReaderMetrics metrics = new LoadReaderMetrics(context.metricGroup());
        double share = (double) maxItemsPerSecond / Math.max(1, context.currentParallelism());
        return LoadSourceReader.create(
                () -> new SegmentReader(scanners.create(), tableName, share, metrics, System::currentTimeMillis),
                context.getConfiguration(), context);
    }

    @Override
    public SplitEnumerator<SegmentSplit, LoadState> createEnumerator(SplitEnumeratorContext<SegmentSplit> context) {
        int total = segments > 0 ? segments : 4 * Math.max(1, context.currentParallelism());
        return new LoadEnumerator(context, tableName, scanners, System::currentTimeMillis,
                LoadEnumerator.newLoad(System.currentTimeMillis(), margin, total));
    }

    @Override
    public SplitEnumerator<SegmentSplit, LoadState> restoreEnumerator(SplitEnumeratorContext<SegmentSplit> context,
            LoadState checkpoint) {
        return new LoadEnumerator(context, tableName, scanners, System::currentTimeMillis, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<SegmentSplit> getSplitSerializer() {
        return SegmentSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<LoadState> getEnumeratorCheckpointSerializer() {
        return new LoadStateSerializer();
    }

    @Override
    public TypeInformation<ChangeRecord> getProducedType() {
        return TypeInformation.of(ChangeRecord.class);
    }

    @Override
    public String toString() {
        return "TableLoadSource{" + tableName + ", " + maxItemsPerSecond + " items/s, segments "
                + (segments == 0 ? "4 per subtask" : segments) + ", margin " + margin + '}';
    }
}
