package dev.searchsync.config;

/** What to do when the position a shard should resume from has aged out of the stream. */
public enum TrimmedDataPolicy {
    /** Fail the job, naming the shard and the last position read: someone must decide. */
    FAIL,
    /** Continue that shard from its oldest record, count it in a metric and log it as an error. */
    RESTART_FROM_TRIM_HORIZON
}
