package dev.searchsync.events;

import dev.searchsync.config.EventConfig;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.Serializable;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the configured fields of an event: its id, whether it is a delete, its version and its time. Errors name
 * the event's place and the field, never its value, which can be personal data.
 */
final class EventFields implements Serializable {
    private static final long serialVersionUID = 1L;
    /** OpenSearch refuses longer ids. */
    private static final int MAX_ID_BYTES = 512;
    private static final BigInteger MAX_VERSION = BigInteger.valueOf(Long.MAX_VALUE);

    private final String idField;
    private final String deleteField;
    private final List<String> deleteValues;
    private final String versionField;
    private final String timestampField;
    private transient JsonPointer id;
    private transient JsonPointer delete;
    private transient Set<String> deletes;
    private transient JsonPointer version;
    private transient JsonPointer timestamp;

    EventFields(EventConfig config) {
        this.idField = config.idField().orElse(null);
        this.deleteField = config.deleteField().orElse(null);
        this.deleteValues = List.copyOf(config.deleteValues());
        this.versionField = config.versionField().orElse(null);
        this.timestampField = config.timestampField().orElse(null);
    }

    boolean hasIds() {
        return idField != null;
    }

    /** The document id: a non-empty string or an integer, as text. */
    String id(DecodedEvent event) throws InvalidEventException {
        if (id == null) {
            id = JsonPointer.compile(idField);
        }
        JsonNode node = event.at(id);
        String text = node.isTextual() ? node.textValue() : node.isIntegralNumber() ? node.bigIntegerValue().toString()
                : null;
        if (text == null || text.isEmpty()) {
            throw new InvalidEventException(where(event) + ": " + idField + " is " + kind(node)
                    + ", expected the document id (a non-empty string or an integer)");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new InvalidEventException(where(event) + ": " + idField + " is longer than the " + MAX_ID_BYTES
                    + " bytes OpenSearch allows in an id");
        }
        return text;
    }

    boolean isDelete(DecodedEvent event) {
        if (deleteField == null) {
            return false;
        }
        if (delete == null) {
            delete = JsonPointer.compile(deleteField);
            deletes = new HashSet<>(deleteValues);
        }
        JsonNode node = event.at(delete);
        return node.isValueNode() && !node.isNull() && deletes.contains(node.asText());
    }

    /** The event's own version, or 0 when no version field is configured. */
    long version(DecodedEvent event) throws InvalidEventException {
        if (versionField == null) {
            return 0;
        }
        if (version == null) {
            version = JsonPointer.compile(versionField);
        }
        JsonNode node = event.at(version);
        BigInteger value = null;
        if (node.isIntegralNumber()) {
            value = node.bigIntegerValue();
        } else if (node.isTextual() && node.textValue().matches("[0-9]{1,19}")) {
            value = new BigInteger(node.textValue());
        }
        if (value == null || value.signum() <= 0 || value.compareTo(MAX_VERSION) > 0) {
            throw new InvalidEventException(where(event) + ": " + versionField + " is " + kind(node)
                    + ", expected the event's version: a positive integer up to " + Long.MAX_VALUE
                    + " (or its decimal text)");
        }
        return value.longValue();
    }

    /** The event's time in epoch milliseconds: the timestamp field's, else {@code arrivalMillis}. */
    long time(DecodedEvent event, long arrivalMillis) throws InvalidEventException {
        if (timestampField == null) {
            return arrivalMillis;
        }
        if (timestamp == null) {
            timestamp = JsonPointer.compile(timestampField);
        }
        JsonNode node = event.at(timestamp);
        if (node.isMissingNode() || node.isNull()) {
            return arrivalMillis;
        }
        if (node.isNumber()) {
            return node.isIntegralNumber() && node.canConvertToLong() ? node.longValue()
                    : (long) Math.floor(node.doubleValue());
        }
        if (node.isTextual()) {
            try {
                return OffsetDateTime.parse(node.textValue()).toInstant().toEpochMilli();
            } catch (DateTimeParseException e) {
                // falls through to the error below, which names the field but not its value
            }
        }
        throw new InvalidEventException(where(event) + ": " + timestampField + " is " + kind(node)
                + ", expected epoch milliseconds (a number) or an ISO-8601 instant such as"
                + " 2026-12-01T10:15:30.123Z");
    }

    private static String where(DecodedEvent event) {
        return "event " + event.ordinal() + " (sub-record " + event.subRecord() + ", position " + event.position()
                + ")";
    }

    /** What a field holds, in words that tell nothing of its value. */
    private static String kind(JsonNode node) {
        if (node.isMissingNode()) {
            return "missing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isTextual()) {
            return node.textValue().isEmpty() ? "an empty string" : "a string of another form";
        }
        return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " value";
    }

    @Override
    public String toString() {
        return "fields{id=" + idField + ", delete=" + deleteField + " in " + deleteValues + ", version="
                + versionField + ", timestamp=" + timestampField + '}';
    }
}
