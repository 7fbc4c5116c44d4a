package dev.searchsync.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/** The validated settings of group {@value LoadOptions#GROUP}: whether and how the table's items are loaded. */
public final class LoadConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final LoadMode mode;
    private final int maxItemsPerSecond;
    private final int segments;
    private final int marginSeconds;

    public LoadConfig(LoadMode mode, int maxItemsPerSecond, int segments, int marginSeconds) {
        this.mode = Objects.requireNonNull(mode);
        this.maxItemsPerSecond = maxItemsPerSecond;
        this.segments = segments;
        this.marginSeconds = marginSeconds;
    }

    /** No load. */
    public static LoadConfig never() {
        return new LoadConfig(LoadMode.NEVER, 1_000, 0, 60);
    }

    /**
     * Reads and checks group {@value LoadOptions#GROUP}; {@code tables} says whether the input is a table's stream.
     * A load needs the stream read from before it starts: from a later position, a change made while the load
     * starts could be in neither.
     */
    static LoadConfig read(ConfigReader reader, boolean tables, String type, ShardSourceSettings source) {
        if (!tables) {
            reader.refuseGroup(LoadOptions.ALL, "dynamodb-streams", type);
            return never();
        }
        LoadMode mode = reader.value(LoadOptions.MODE);
        Integer rate = reader.value(LoadOptions.MAX_ITEMS_PER_SECOND);
        Integer segments = reader.value(LoadOptions.SEGMENTS);
        Integer margin = reader.value(LoadOptions.MARGIN_SECONDS);
        LoadConfig config = new LoadConfig(mode == null ? LoadMode.ON_EMPTY_STATE : mode, rate == null ? 1_000 : rate,
                segments == null ? 0 : segments, margin == null ? 60 : margin);
        if (!reader.isSet(LoadOptions.MODE) && source != null && !loadable(source, config.margin())) {
            // Not asked for, and the stream starts too late for one: a start at LATEST means only new changes.
            return new LoadConfig(LoadMode.NEVER, config.maxItemsPerSecond, config.segments, config.marginSeconds);
        }
        if (config.enabled() && source != null && !loadable(source, config.margin())) {
            reader.problem(LoadOptions.MODE, "expected NEVER with source/start.position=" + source.startPosition()
                    + (source.startPosition() == StartPosition.AT_TIMESTAMP ? " less than load/margin.seconds ("
                            + config.margin().toSeconds() + " s) in the past" : "")
                    + ": a load needs the stream read from before it starts (TRIM_HORIZON, or AT_TIMESTAMP at least"
                    + " load/margin.seconds in the past), or a change made as it starts could be in neither");
        }
        return config;
    }

    /** Whether the stream is read from early enough for a load starting now. */
    private static boolean loadable(ShardSourceSettings source, Duration margin) {
        switch (source.startPosition()) {
            case TRIM_HORIZON:
                return true;
            case AT_TIMESTAMP:
                return source.startTimestampMillis() <= System.currentTimeMillis() - margin.toMillis();
            default:
                return false;
        }
    }

    /** Whether a start without state loads the table. */
    public boolean enabled() {
        return mode == LoadMode.ON_EMPTY_STATE;
    }

    public LoadMode mode() {
        return mode;
    }

    /** Items per second, all subtasks together. */
    public int maxItemsPerSecond() {
        return maxItemsPerSecond;
    }

    /** Scan segments; 0 for four per source subtask. */
    public int segments() {
        return segments;
    }

    /** How far before the load's start a change must be for the loaded item to win over it. */
    public Duration margin() {
        return Duration.ofSeconds(marginSeconds);
    }

    @Override
    public String toString() {
        return "LoadConfig{mode=" + mode + ", maxItemsPerSecond=" + maxItemsPerSecond + ", segments="
                + (segments == 0 ? "4 per subtask" : segments) + ", margin=" + marginSeconds + "s}";
    }
}
