package dev.searchsync.events;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Objects;

/**
 * One JSON event read from a Kinesis record, with where it sat in the record (for a deterministic document id and
 * the origin's sub-sequence) and its bytes exactly as the producer wrote them (so numbers keep their text).
 */
public final class DecodedEvent {
    private final int subRecord;
    private final int position;
    private final int ordinal;
    private final String partitionKey;
    private final ObjectNode json;
    private final byte[] documentUtf8;

    /** Only the decoder builds events: it hands over a node and bytes nobody else holds, so nothing is copied. */
    DecodedEvent(int subRecord, int position, int ordinal, String partitionKey, ObjectNode json, byte[] documentUtf8) {
        if (subRecord < 0 || position < 0 || ordinal < 0) {
            throw new IllegalArgumentException("subRecord, position and ordinal must not be negative: " + subRecord
                    + ", " + position + ", " + ordinal);
        }
        this.subRecord = subRecord;
        this.position = position;
        this.ordinal = ordinal;
        this.partitionKey = partitionKey;
        this.json = Objects.requireNonNull(json, "json");
        this.documentUtf8 = Objects.requireNonNull(documentUtf8, "documentUtf8");
    }

    /** The index of the KPL sub-record that held the event; 0 when the record is not aggregated. */
    public int subRecord() {
        return subRecord;
    }

    /** The event's ordinal inside its (sub-)record: 0 for a lone object, else its place in the sequence or array. */
    public int position() {
        return position;
    }

    /** The event's running index in the whole Kinesis record, across sub-records, from 0. */
    public int ordinal() {
        return ordinal;
    }

    /** The KPL sub-record's partition key; null when the record is not aggregated. */
    public String partitionKey() {
        return partitionKey;
    }

    /** The event parsed with exact numbers (BigDecimal for non-integers, big integers kept); a copy. */
    public ObjectNode json() {
        // A copy: ObjectNode is mutable, and the event must read the same to everyone who asks.
        return json.deepCopy();
    }

    /**
     * The field at {@code pointer} ({@code MissingNode} when absent), read from the event itself without a copy:
     * the mapper looks up a few fields of every event. Callers must not change the node.
     */
    JsonNode at(JsonPointer pointer) {
        return json.at(pointer);
    }

    /**
     * The UTF-8 bytes of the object as the producer wrote them, never re-serialized. Not copied: the document's
     * action keeps them as they are, and nobody changes them.
     */
    public byte[] documentUtf8() {
        return documentUtf8;
    }

    /** No field values: events can hold personal data, and this string may end up in logs. */
    @Override
    public String toString() {
        return "DecodedEvent{subRecord=" + subRecord + ", position=" + position + ", ordinal=" + ordinal
                + ", partitionKey=" + (partitionKey == null ? "none" : "set") + ", bytes=" + documentUtf8.length + "}";
    }
}
