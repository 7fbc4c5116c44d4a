package dev.searchsync.config;

import com.fasterxml.jackson.core.JsonPointer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The keys of property group {@value #GROUP}: which fields of a JSON event (the {@code kinesis} input) say its
 * document id, whether it is a delete, its version and its time. Each is a JSON pointer, such as {@code /orderId}
 * or {@code /meta/version}.
 */
public final class EventOptions {
    public static final String GROUP = "events";

    private static final String POINTER_EXPECTED = "a JSON pointer to a field, such as /orderId or /meta/id";

    public static final Option<String> ID_FIELD = Option.of(GROUP, "id.field", pointer(), null,
            "The field holding the document id (a string or an integer). Set: the VERSIONED lane, where the index"
                    + " holds the last state per id and events may update and delete. Not set: the APPEND lane, where"
                    + " each event is a document of its own, with an id made of its shard, sequence number and place"
                    + " in the record, so a replay or a restart never indexes an event twice. An event without"
                    + " the field becomes a dead letter.");

    public static final Option<String> DELETE_FIELD = Option.of(GROUP, "delete.field", pointer(), null,
            "The field that marks an event as a delete of its document when it holds one of delete.values; only"
                    + " with id.field. Default: no event is a delete.");

    public static final Option<List<String>> DELETE_VALUES = Option.of(GROUP, "delete.values",
            values("comma-separated values"), List.of("delete"),
            "The values of delete.field that mean a delete (compared with the field's text: a string as it is,"
                    + " true/false, a number as written).");

    public static final Option<String> VERSION_FIELD = Option.of(GROUP, "version.field", pointer(), null,
            "The field holding the event's version: a positive integer (or its decimal text) that grows with every"
                    + " change of a document, such as an updatedAt in epoch milliseconds. Events are then ordered"
                    + " per id by it, an older or equal one is dropped, and it is the external version OpenSearch"
                    + " checks; only with id.field. Default: the stream's order per id. An event whose version"
                    + " is missing or not a positive integer becomes a dead letter.");

    public static final Option<String> TIMESTAMP_FIELD = Option.of(GROUP, "timestamp.field", pointer(), null,
            "The field holding the event's time: epoch milliseconds (a number) or an ISO-8601 instant (text, such"
                    + " as 2026-12-01T10:15:30.123Z). It names the index when index/name is an event-time pattern,"
                    + " and is the event time of metrics and dead letters. Default, and for an event without the"
                    + " field: the record's arrival time in the stream. A field that is present but not a time"
                    + " becomes a dead letter.");

    public static final List<Option<?>> ALL = List.of(ID_FIELD, DELETE_FIELD, DELETE_VALUES, VERSION_FIELD,
            TIMESTAMP_FIELD);

    private EventOptions() {}

    private static ValueType<String> pointer() {
        return ValueType.matching(POINTER_EXPECTED, EventOptions::isPointer);
    }

    static boolean isPointer(String text) {
        if (!text.startsWith("/") || text.length() < 2) {
            return false;
        }
        try {
            JsonPointer.compile(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static ValueType<List<String>> values(String description) {
        return new ValueType<>(description) {
            private static final long serialVersionUID = 1L;

            @Override
            public List<String> parse(String text) {
                LinkedHashSet<String> values = new LinkedHashSet<>();
                for (String value : text.split(",", -1)) {
                    if (value.isBlank()) {
                        throw new IllegalArgumentException();
                    }
                    values.add(value.trim());
                }
                return List.copyOf(new ArrayList<>(values));
            }

            @Override
            public String format(List<String> value) {
                return String.join(",", value);
            }
        };
    }
}
