package dev.searchsync.config;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/** The validated settings of group {@value EventOptions#GROUP}: what the fields of a JSON event mean. */
public final class EventConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String idField;
    private final String deleteField;
    private final List<String> deleteValues;
    private final String versionField;
    private final String timestampField;

    public EventConfig(String idField, String deleteField, List<String> deleteValues, String versionField,
            String timestampField) {
        this.idField = idField;
        this.deleteField = deleteField;
        this.deleteValues = List.copyOf(deleteValues);
        this.versionField = versionField;
        this.timestampField = timestampField;
    }

    /** Reads and checks group {@value EventOptions#GROUP}; {@code used} says whether the input reads events. */
    static EventConfig read(ConfigReader reader, boolean used, String type) {
        if (!used) {
            reader.refuseGroup(EventOptions.ALL, "kinesis", type);
        }
        String id = reader.value(EventOptions.ID_FIELD);
        if (id == null) {
            for (Option<String> needsId : List.of(EventOptions.DELETE_FIELD, EventOptions.VERSION_FIELD)) {
                if (reader.isSet(needsId)) {
                    reader.problem(needsId, "expected id.field too: without ids events are appended, never deleted or"
                            + " versioned");
                }
            }
        }
        return new EventConfig(id, reader.value(EventOptions.DELETE_FIELD), reader.value(EventOptions.DELETE_VALUES),
                reader.value(EventOptions.VERSION_FIELD), reader.value(EventOptions.TIMESTAMP_FIELD));
    }

    /** The id field's pointer; empty for the APPEND lane. */
    public Optional<String> idField() {
        return Optional.ofNullable(idField);
    }

    public Optional<String> deleteField() {
        return Optional.ofNullable(deleteField);
    }

    public List<String> deleteValues() {
        return deleteValues;
    }

    public Optional<String> versionField() {
        return Optional.ofNullable(versionField);
    }

    public Optional<String> timestampField() {
        return Optional.ofNullable(timestampField);
    }

    @Override
    public String toString() {
        return "EventConfig{idField=" + idField + ", deleteField=" + deleteField + ", deleteValues=" + deleteValues
                + ", versionField=" + versionField + ", timestampField=" + timestampField + '}';
    }
}
