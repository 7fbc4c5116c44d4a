package dev.searchsync.source.split;

/** A reader's mutable view of one split: the last record it emitted, which is where a restore resumes. */
public final class ShardSplitState {
    private final ShardSplit split;
    private String lastEmittedSequenceNumber;

    public ShardSplitState(ShardSplit split) {
        this.split = split;
    }

    public ShardSplit split() {
        return split;
    }

    public String lastEmittedSequenceNumber() {
        return lastEmittedSequenceNumber;
    }

    public void recordEmitted(String sequenceNumber) {
        this.lastEmittedSequenceNumber = sequenceNumber;
    }

    /** The split a checkpoint stores: resume right after the last emitted record, or where it started. */
    public ShardSplit toCheckpointedSplit() {
        return lastEmittedSequenceNumber == null
                ? split
                : split.withStartingPosition(StartingPosition.afterSequenceNumber(lastEmittedSequenceNumber));
    }
}
