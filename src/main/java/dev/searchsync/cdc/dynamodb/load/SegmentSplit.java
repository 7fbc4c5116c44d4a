package dev.searchsync.cdc.dynamodb.load;

import org.apache.flink.api.connector.source.SourceSplit;

import java.util.Objects;

/**
 * One segment of a load's parallel Scan, and how far it got: the key of the last item emitted (the next page
 * starts after it) and how many items it has read. Immutable; the reader's progress is a {@link SegmentSplitState}.
 */
public final class SegmentSplit implements SourceSplit {
    private final int segment;
    private final int totalSegments;
    private final long loadVersion;
    /** DynamoDB JSON of the key of the last item emitted; null before the first. */
    private final String startAfterKey;
    private final long itemsRead;

    public SegmentSplit(int segment, int totalSegments, long loadVersion, String startAfterKey, long itemsRead) {
        if (segment < 0 || segment >= totalSegments) {
            throw new IllegalArgumentException("segment " + segment + " of " + totalSegments);
        }
        this.segment = segment;
        this.totalSegments = totalSegments;
        this.loadVersion = loadVersion;
        this.startAfterKey = startAfterKey;
        this.itemsRead = itemsRead;
    }

    /** Segment {@code segment} of {@code totalSegments}, not started. */
    static SegmentSplit start(int segment, int totalSegments, long loadVersion) {
        return new SegmentSplit(segment, totalSegments, loadVersion, null, 0);
    }

    @Override
    public String splitId() {
        return "segment-" + segment + "-of-" + totalSegments;
    }

    public int segment() {
        return segment;
    }

    public int totalSegments() {
        return totalSegments;
    }

    /** The version every item of this load gets. */
    public long loadVersion() {
        return loadVersion;
    }

    /** DynamoDB JSON of the key the next page starts after; null from the segment's start. */
    public String startAfterKey() {
        return startAfterKey;
    }

    public long itemsRead() {
        return itemsRead;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof SegmentSplit)) {
            return false;
        }
        SegmentSplit that = (SegmentSplit) o;
        return segment == that.segment && totalSegments == that.totalSegments && loadVersion == that.loadVersion
                && itemsRead == that.itemsRead && Objects.equals(startAfterKey, that.startAfterKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(segment, totalSegments, loadVersion, startAfterKey, itemsRead);
    }

    @Override
    public String toString() {
        return "SegmentSplit{" + splitId() + ", " + itemsRead + " items read"
                + (startAfterKey == null ? "" : ", after " + startAfterKey) + '}';
    }
}
