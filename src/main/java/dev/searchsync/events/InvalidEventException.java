package dev.searchsync.events;

/** An event that could be read but lacks what the configuration asks of it (an id, a version, a time). */
public final class InvalidEventException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidEventException(String message) {
        super(message);
    }
}
