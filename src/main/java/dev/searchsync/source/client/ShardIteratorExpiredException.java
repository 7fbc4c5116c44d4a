package dev.searchsync.source.client;

/** The shard iterator is too old (15 minutes for DynamoDB Streams); the reader gets a new one and continues. */
public final class ShardIteratorExpiredException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ShardIteratorExpiredException(String message, Throwable cause) {
        super(message, cause);
    }
}
