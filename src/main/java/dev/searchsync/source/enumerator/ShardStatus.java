package dev.searchsync.source.enumerator;

/** Where a shard is in its life as the enumerator sees it. */
public enum ShardStatus {
    /** Known, not yet handed to a reader (its parents may still be read). */
    UNASSIGNED,
    /** A reader owns it. */
    ASSIGNED,
    /** Read to its end; remembered while a child may still refer to it. */
    FINISHED
}
