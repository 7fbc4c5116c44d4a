package dev.searchsync.opensearch;

/** Stops the job at start when the alias it is to write through cannot take writes, naming the alias and the fix. */
public final class WriteAliasException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WriteAliasException(String message) {
        super(message);
    }
}
