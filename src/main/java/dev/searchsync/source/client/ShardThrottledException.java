package dev.searchsync.source.client;

/** The service asked the caller to slow down; the reader backs off that shard and tries again. */
public final class ShardThrottledException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ShardThrottledException(String message, Throwable cause) {
        super(message, cause);
    }
}
