package dev.searchsync.opensearch;

/** Stops the job at start when OpenSearch cannot be reached or refuses to show or create an index. */
public final class IndexBootstrapException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    IndexBootstrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
