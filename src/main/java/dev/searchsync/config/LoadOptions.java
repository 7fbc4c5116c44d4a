package dev.searchsync.config;

import java.util.List;

/**
 * The keys of property group {@value #GROUP}: the initial load, a parallel Scan of the table that runs beside the
 * stream (the {@code dynamodb-streams} input only).
 */
public final class LoadOptions {
    public static final String GROUP = "load";

    public static final Option<LoadMode> MODE = Option.of(GROUP, "mode", ValueType.oneOf(LoadMode.class),
            LoadMode.ON_EMPTY_STATE,
            "ON_EMPTY_STATE: on a start without state (the first start, or a start without a snapshot) the job"
                    + " scans the table into the index while it reads the stream, which never waits for it; a"
                    + " restore from a checkpoint or snapshot resumes a load under way and starts none. Needs"
                    + " source/start.position=TRIM_HORIZON (or AT_TIMESTAMP at least margin.seconds in the past)."
                    + " NEVER: only items changed after the stream position the job starts at are indexed. Default:"
                    + " ON_EMPTY_STATE, or NEVER when the stream starts later than a load needs (LATEST).");

    public static final Option<Integer> MAX_ITEMS_PER_SECOND = Option.of(GROUP, "max.items.per.second",
            ValueType.intInRange(1, 1_000_000), 1_000,
            "Most items the load reads per second, all subtasks together. Scans read strongly consistent:"
                    + " each second costs about max.items.per.second x (average item size / 4 KB) read capacity"
                    + " units (at least one per page of up to 1 MB).");

    public static final Option<Integer> SEGMENTS = Option.of(GROUP, "segments", ValueType.intInRange(0, 1_000_000),
            0,
            "Parallel Scan segments (TotalSegments), each a split read by one subtask at a time; 0: four per"
                    + " source subtask. Fixed for the life of a load: a restore resumes each segment where it was.");

    public static final Option<Integer> MARGIN_SECONDS = Option.of(GROUP, "margin.seconds",
            ValueType.intInRange(2, 3_600), 60,
            "How far before the load's start a change must be for the loaded item to win over it: covers DynamoDB"
                    + " rounding stream record times down to the second, and the clock skew between DynamoDB and"
                    + " the job. Changes in the last margin.seconds before the load are applied from the stream"
                    + " on top of it.");

    public static final List<Option<?>> ALL = List.of(MODE, MAX_ITEMS_PER_SECOND, SEGMENTS, MARGIN_SECONDS);

    private LoadOptions() {}
}
