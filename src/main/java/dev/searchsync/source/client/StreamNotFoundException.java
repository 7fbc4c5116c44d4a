package dev.searchsync.source.client;

/** The configured stream or table does not exist or has no stream: retrying cannot help, so the job stops. */
public final class StreamNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StreamNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
