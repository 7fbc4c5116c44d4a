package dev.searchsync.change;

/** The three kinds of change DynamoDB Streams reports for an item. */
public enum ChangeType {
    INSERT,
    MODIFY,
    REMOVE
}
