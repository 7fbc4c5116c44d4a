package dev.searchsync.model;

/** A record its input could not read at all: it becomes a dead letter of stage DECODE, whatever the input kind. */
public class UndecodableRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    public UndecodableRecordException(String message) {
        super(message);
    }
}
