package dev.searchsync.cdc.dynamodb.load;

import dev.searchsync.cdc.dynamodb.ChangeRecord;

/** A segment's progress as its items are emitted: what a checkpoint records of it. */
final class SegmentSplitState {
    private final SegmentSplit split;
    private String startAfterKey;
    private long itemsRead;

    SegmentSplitState(SegmentSplit split) {
        this.split = split;
        this.startAfterKey = split.startAfterKey();
        this.itemsRead = split.itemsRead();
    }

    /** {@code item} was emitted: the segment resumes after its key. */
    void emitted(ChangeRecord item) {
        startAfterKey = item.getKeys();
        itemsRead++;
    }

    int segment() {
        return split.segment();
    }

    long itemsRead() {
        return itemsRead;
    }

    SegmentSplit toSplit() {
        return new SegmentSplit(split.segment(), split.totalSegments(), split.loadVersion(), startAfterKey, itemsRead);
    }
}
