package dev.searchsync.config;

/**
 * What to do when a restored checkpoint was reading another stream than the one configured now (the table was
 * recreated, or its stream disabled and enabled again): the old stream gets no new changes, so going on with it
 * would read nothing, with no lag to show it.
 */
public enum StreamChangePolicy {
    /** Fail the job, naming both streams and the choices: someone must decide. */
    FAIL,
    /**
     * Keep the job's state, drop the old stream's shards where they were, and read the new stream from its oldest
     * record, as a first run at TRIM_HORIZON would.
     */
    RESTART_FROM_TRIM_HORIZON
}
