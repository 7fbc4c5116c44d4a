package dev.searchsync.cdc.dynamodb;

/** The three kinds of change DynamoDB Streams reports for an item. */
public enum ChangeType {
    INSERT,
    MODIFY,
    REMOVE
}
