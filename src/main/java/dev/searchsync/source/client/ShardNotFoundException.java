package dev.searchsync.source.client;

/**
 * The service no longer knows the shard: it closed and aged out of the stream with all its records. The one trimmed
 * position a reader may end a shard on, because nothing of it can be read any more; a shard that is merely trimmed
 * is still there to be read.
 */
public final class ShardNotFoundException extends ShardDataTrimmedException {
    private static final long serialVersionUID = 1L;

    public ShardNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
