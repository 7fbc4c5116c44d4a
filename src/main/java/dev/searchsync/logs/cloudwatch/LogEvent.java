package dev.searchsync.logs.cloudwatch;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;

/** One entry of a payload's {@code logEvents}, read and checked, so the mapper never looks at raw JSON again. */
public final class LogEvent {
    private final int index;
    private final String id;
    private final long timestamp;
    private final String message;
    private final Map<String, String> extractedFields;

    LogEvent(int index, String id, long timestamp, String message, Map<String, String> extractedFields) {
        this.index = index;
        this.id = Objects.requireNonNull(id, "id");
        this.timestamp = timestamp;
        this.message = Objects.requireNonNull(message, "message");
        this.extractedFields = extractedFields == null ? null : Collections.unmodifiableMap(extractedFields);
    }

    /** The event's place in its record's {@code logEvents}, from 0. */
    public int index() {
        return index;
    }

    /** CloudWatch Logs' id of the event, as text (AWS sends a 56-digit string, moto a small integer). */
    public String id() {
        return id;
    }

    /** When the event happened, epoch milliseconds. */
    public long timestamp() {
        return timestamp;
    }

    public String message() {
        return message;
    }

    /** The fields a space-delimited filter pattern extracted, in the payload's order, values as text; null if none. */
    public Map<String, String> extractedFields() {
        return extractedFields;
    }

    /** No message: log events can hold personal data, and this string may end up in logs. */
    @Override
    public String toString() {
        return "LogEvent{index=" + index + ", id=" + id + ", timestamp=" + timestamp + ", message of "
                + message.length() + " chars}";
    }
}
