package dev.searchsync.config;

import java.util.List;

/**
 * The keys of property group {@value #GROUP}: how a CloudWatch Logs event becomes a document (the
 * {@code cloudwatch-logs} input).
 */
public final class LogsOptions {
    public static final String GROUP = "logs";

    /** The index name when {@code index/name} is not set: one index per UTC day of the events. */
    public static final String DEFAULT_INDEX = "cwl-{yyyy.MM.dd}";
    /** The mapping (a resource under index-templates/ in the jar) when {@code index/mapping} is not set. */
    public static final String DEFAULT_MAPPING = "cloudwatch-logs.json";

    public static final Option<Boolean> PARSE_JSON = Option.of(GROUP, "parse.json", ValueType.bool(), true,
            "Whether a message that is a JSON object is also indexed as fields, under the document's @json object"
                    + " (never merged into the top level). Within json.max.fields; a message past it, or whose"
                    + " fields conflict with fields seen before, stays text in @message only, and is counted.");

    public static final Option<Integer> JSON_MAX_FIELDS = Option.of(GROUP, "json.max.fields",
            ValueType.intInRange(1, 10_000), 500,
            "Most distinct field paths under @json the job creates per index, all subtasks together: keep it below"
                    + " the index's index.mapping.total_fields.limit (1000 in the template the job puts) minus the"
                    + " dozen fixed fields, so that no log event is ever refused for its fields.");

    public static final List<Option<?>> ALL = List.of(PARSE_JSON, JSON_MAX_FIELDS);

    private LogsOptions() {}
}
