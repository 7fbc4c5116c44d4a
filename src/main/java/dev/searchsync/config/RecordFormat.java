package dev.searchsync.config;

/** How the JSON events inside one Kinesis record (or KPL sub-record) are laid out; gzip and KPL under any of them. */
public enum RecordFormat {
    /**
     * Whatever the data turns out to be: whitespace-separated JSON objects (one object, newline-delimited or
     * concatenated objects) or one top-level JSON array of objects. Empty or blank data holds no event.
     */
    AUTO,
    /** Exactly one JSON object; empty data, a second value or an array is an error. */
    JSON,
    /**
     * Zero or more JSON objects separated by whitespace or newlines (newline-delimited JSON, also concatenated
     * objects with no separator); empty or blank data holds no event.
     */
    NDJSON,
    /** Exactly one JSON array whose elements are all objects (an empty array holds no event); nothing after it. */
    JSON_ARRAY
}
