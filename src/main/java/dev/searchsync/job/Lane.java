package dev.searchsync.job;

/** The two ways actions reach OpenSearch; an input chooses one. */
public enum Lane {
    /**
     * Keyed by document: the ordering step drops duplicates and stale changes and gives each change an external
     * version. For change streams, where one document changes many times (DynamoDB Streams).
     */
    VERSIONED,
    /**
     * No keyed state: each action is a {@code create} with an id derived from the event's position, so a replay
     * answers 409 and counts as done. For log and event streams, where every event is a new document.
     */
    APPEND
}
