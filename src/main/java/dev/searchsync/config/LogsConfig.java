package dev.searchsync.config;

import java.io.Serializable;

/** The validated settings of group {@value LogsOptions#GROUP}: how log events become documents. */
public final class LogsConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final boolean parseJson;
    private final int jsonMaxFields;

    public LogsConfig(boolean parseJson, int jsonMaxFields) {
        this.parseJson = parseJson;
        this.jsonMaxFields = jsonMaxFields;
    }

    /** Reads and checks group {@value LogsOptions#GROUP}; {@code used} says whether the input reads logs. */
    static LogsConfig read(ConfigReader reader, boolean used, String type) {
        if (!used) {
            reader.refuseGroup(LogsOptions.ALL, "cloudwatch-logs", type);
        }
        Boolean parse = reader.value(LogsOptions.PARSE_JSON);
        Integer max = reader.value(LogsOptions.JSON_MAX_FIELDS);
        return new LogsConfig(parse == null || parse, max == null ? 500 : max);
    }

    /** Whether JSON messages are indexed as fields too. */
    public boolean parseJson() {
        return parseJson;
    }

    /** Most distinct field paths under {@code @json} per index, all subtasks together. */
    public int jsonMaxFields() {
        return jsonMaxFields;
    }

    @Override
    public String toString() {
        return "LogsConfig{parseJson=" + parseJson + ", jsonMaxFields=" + jsonMaxFields + '}';
    }
}
