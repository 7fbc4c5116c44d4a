package dev.searchsync.source.client;

/** The records a reader wanted are older than the stream keeps; {@code TrimmedDataPolicy} decides what follows. */
public class ShardDataTrimmedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ShardDataTrimmedException(String message, Throwable cause) {
        super(message, cause);
    }
}
