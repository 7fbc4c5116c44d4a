package dev.searchsync.cdc.dynamodb;


/** A change that cannot become a document; its message names the table, the event and what was wrong. */
public class ConversionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConversionException(String message, Throwable cause) {
        super(message, cause);
    }

    /** An exception about {@code change}, prefixed with where it came from. */
    static ConversionException of(ChangeRecord change, String problem, Throwable cause) {
        return new ConversionException("Cannot convert event '" + change.getEventId() + "' of table '"
                + change.getTableName() + "': " + problem, cause);
    }
}
