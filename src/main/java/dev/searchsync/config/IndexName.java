package dev.searchsync.config;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An index name, fixed ({@code orders}) or by event time ({@code events-{yyyy.MM.dd}}, one index per UTC day), so
 * that time-ordered data can be kept and dropped an index at a time.
 */
public final class IndexName implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What {@link #parse} accepts, in the words errors and docs use. */
    public static final String EXPECTED = IndexOptions.INDEX_NAME_EXPECTED + "; or such a name with one {date"
            + " pattern} in it, such as events-{yyyy.MM.dd} (java.time DateTimeFormatter letters, formatted in UTC)";

    /** Dates every pattern is tried with: each month, each weekday, years either side of 2000. */
    private static final long[] SAMPLES = samples();

    private final String prefix;
    private final String datePattern;
    private final String suffix;
    private transient DateTimeFormatter formatter;

    private IndexName(String prefix, String datePattern, String suffix) {
        this.prefix = prefix;
        this.datePattern = datePattern;
        this.suffix = suffix;
    }

    /** {@code text} as a fixed index name or a time pattern; empty when it is neither. */
    public static Optional<IndexName> parse(String text) {
        int open = text.indexOf('{');
        int close = text.indexOf('}');
        if (open < 0 && close < 0) {
            return IndexOptions.isValidIndexName(text) ? Optional.of(new IndexName(text, null, "")) : Optional.empty();
        }
        if (open < 0 || close < open + 2 || text.indexOf('{', open + 1) >= 0 || text.indexOf('}', close + 1) >= 0) {
            return Optional.empty();
        }
        IndexName name = new IndexName(text.substring(0, open), text.substring(open + 1, close),
                text.substring(close + 1));
        try {
            for (long sample : SAMPLES) {
                if (!IndexOptions.isValidIndexName(name.at(sample))) {
                    return Optional.empty();
                }
            }
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
        return Optional.of(name);
    }

    /** A fixed name. */
    public static IndexName fixed(String name) {
        return parse(name).filter(n -> !n.isTimeBased())
                .orElseThrow(() -> new IllegalArgumentException("not an index name: " + name));
    }

    public static boolean isValid(String text) {
        return parse(text).isPresent();
    }

    /** True when the name depends on the event's time. */
    public boolean isTimeBased() {
        return datePattern != null;
    }

    /** The index for an event at {@code epochMillis}. */
    public String at(long epochMillis) {
        if (datePattern == null) {
            return prefix;
        }
        if (formatter == null) {
            formatter = DateTimeFormatter.ofPattern(datePattern, Locale.ROOT).withZone(ZoneOffset.UTC);
        }
        return prefix + formatter.format(Instant.ofEpochMilli(epochMillis)) + suffix;
    }

    /**
     * The name without its date pattern and the separators around it ({@code events} for
     * {@code events-{yyyy.MM.dd}}), for names derived from it such as the index template's; the name when fixed.
     */
    public String stem() {
        if (datePattern == null) {
            return prefix;
        }
        String stem = (prefix.replaceAll("[-_.+]+$", "") + suffix).replaceAll("^[-_.+]+|[-_.+]+$", "");
        return stem.isEmpty() ? "events" : stem;
    }

    /** The index pattern that matches every index this name gives: the name itself when it is fixed. */
    public String wildcard() {
        return datePattern == null ? prefix : prefix + "*" + suffix;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IndexName)) {
            return false;
        }
        IndexName that = (IndexName) o;
        return prefix.equals(that.prefix) && Objects.equals(datePattern, that.datePattern)
                && suffix.equals(that.suffix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(prefix, datePattern, suffix);
    }

    @Override
    public String toString() {
        return datePattern == null ? prefix : prefix + "{" + datePattern + "}" + suffix;
    }

    private static long[] samples() {
        long[] out = new long[16];
        long day = 86_400_000L;
        for (int i = 0; i < 12; i++) {
            out[i] = Instant.parse(String.format(Locale.ROOT, "2026-%02d-%02dT13:45:56.789Z", i + 1, i + 10))
                    .toEpochMilli();
        }
        out[12] = 0;
        out[13] = day * 3;
        out[14] = Instant.parse("1999-12-31T23:59:59.999Z").toEpochMilli();
        out[15] = Instant.parse("2099-06-15T00:00:00Z").toEpochMilli();
        return out;
    }
}
