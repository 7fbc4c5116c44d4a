package dev.searchsync.config;

/** When the job loads the items a table already holds (key {@code load/mode}). */
public enum LoadMode {
    /** On a start without state (the first start, or one without a snapshot); a restore resumes a load under way. */
    ON_EMPTY_STATE,
    /** Never: only items that change after the stream position the job starts at reach the index. */
    NEVER
}
