package dev.searchsync.deadletter;

/** Why a line of the redrive folder cannot be sent back; the line becomes a dead letter of its own with this reason. */
public final class UnreadableLetterException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public UnreadableLetterException(String message) {
        super(message);
    }

    public UnreadableLetterException(String message, Throwable cause) {
        super(message, cause);
    }
}
