package dev.searchsync.config;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An index name, fixed ({@code orders}), by event time ({@code events-{yyyy.MM.dd}}, one index per UTC day), and for
 * CloudWatch Logs optionally per log group ({@code cwl-{log_group}-{yyyy.MM.dd}}), so that time-ordered data can be
 * kept and dropped an index at a time, and each application's logs get their own indices.
 */
public final class IndexName implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The placeholder for the event's log group. */
    public static final String LOG_GROUP = "{log_group}";

    /** What {@link #parse} accepts, in the words errors and docs use. */
    public static final String EXPECTED = IndexOptions.INDEX_NAME_EXPECTED + "; or such a name with one {date"
            + " pattern} in it, such as events-{yyyy.MM.dd} (java.time DateTimeFormatter letters, formatted in UTC);"
            + " for CloudWatch Logs also with " + LOG_GROUP + ", such as cwl-" + LOG_GROUP + "-{yyyy.MM.dd}";

    /** The most characters a log group takes in a name: index names are at most 255 bytes, log groups 512. */
    static final int MAX_GROUP_CHARS = 100;
    private static final String SAMPLE_GROUP = "/aws/lambda/Sample_Function.v2#1";

    /** Dates every pattern is tried with: each month, each weekday, years either side of 2000. */
    private static final long[] SAMPLES = samples();

    /** Text before the first placeholder, and after each; one longer than {@link #placeholders}. */
    private final List<String> literals;
    /** {@link #LOG_GROUP}, or a date pattern (without braces), in order. */
    private final List<String> placeholders;
    private transient DateTimeFormatter formatter;

    private IndexName(List<String> literals, List<String> placeholders) {
        this.literals = List.copyOf(literals);
        this.placeholders = List.copyOf(placeholders);
    }

    /** {@code text} as a fixed index name or a pattern; empty when it is neither. */
    public static Optional<IndexName> parse(String text) {
        List<String> literals = new ArrayList<>();
        List<String> placeholders = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = text.indexOf('{', from);
            int close = text.indexOf('}', from);
            if (open < 0 && close < 0) {
                literals.add(text.substring(from));
                break;
            }
            if (open < 0 || close < open + 2 || text.indexOf('{', open + 1) >= 0 && text.indexOf('{', open + 1) < close) {
                return Optional.empty();
            }
            literals.add(text.substring(from, open));
            placeholders.add(LOG_GROUP.equals(text.substring(open, close + 1)) ? LOG_GROUP
                    : text.substring(open + 1, close));
            from = close + 1;
        }
        long groups = placeholders.stream().filter(LOG_GROUP::equals).count();
        if (groups > 1 || placeholders.size() - groups > 1) {
            return Optional.empty();
        }
        IndexName name = new IndexName(literals, placeholders);
        if (placeholders.isEmpty()) {
            return IndexOptions.isValidIndexName(text) ? Optional.of(name) : Optional.empty();
        }
        try {
            for (long sample : SAMPLES) {
                if (!IndexOptions.isValidIndexName(name.at(sample, SAMPLE_GROUP))) {
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
        return parse(name).filter(n -> !n.isPattern())
                .orElseThrow(() -> new IllegalArgumentException("not an index name: " + name));
    }

    public static boolean isValid(String text) {
        return parse(text).isPresent();
    }

    /** True when the name depends on the event's time. */
    public boolean isTimeBased() {
        return placeholders.stream().anyMatch(p -> !LOG_GROUP.equals(p));
    }

    /** True when the name depends on the event's log group. */
    public boolean usesLogGroup() {
        return placeholders.contains(LOG_GROUP);
    }

    /** True when the name stands for many indices, each created by the first write to it. */
    public boolean isPattern() {
        return !placeholders.isEmpty();
    }

    /**
     * The index for an event at {@code epochMillis}.
     *
     * @throws IllegalStateException when the name has a {@link #LOG_GROUP}: use {@link #at(long, String)}
     */
    public String at(long epochMillis) {
        if (usesLogGroup()) {
            throw new IllegalStateException("index name " + this + " needs the event's log group");
        }
        return at(epochMillis, null);
    }

    /** The index for an event at {@code epochMillis} of {@code logGroup}. */
    public String at(long epochMillis, String logGroup) {
        StringBuilder name = new StringBuilder(literals.get(0));
        for (int i = 0; i < placeholders.size(); i++) {
            String placeholder = placeholders.get(i);
            if (LOG_GROUP.equals(placeholder)) {
                name.append(groupPart(logGroup));
            } else {
                if (formatter == null) {
                    formatter = DateTimeFormatter.ofPattern(placeholder, Locale.ROOT).withZone(ZoneOffset.UTC);
                }
                name.append(formatter.format(Instant.ofEpochMilli(epochMillis)));
            }
            name.append(literals.get(i + 1));
        }
        return name.toString();
    }

    /**
     * A log group as part of an index name: lower-cased, each run of characters an index name cannot hold (and of
     * {@code -}) as one {@code -}, no {@code -} at either end; {@code /aws/lambda/Orders} is {@code aws-lambda-orders}.
     * Longer than {@value #MAX_GROUP_CHARS} characters, it is cut and ends with 8 hex digits of its SHA-256, so two
     * long groups alike at the start still differ.
     */
    static String groupPart(String logGroup) {
        String part = logGroup.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.+]+", "-").replaceAll("^[-_.+]+|-+$", "");
        if (part.isEmpty()) {
            part = "none";
        }
        if (part.length() <= MAX_GROUP_CHARS) {
            return part;
        }
        String hash;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(logGroup.getBytes(StandardCharsets.UTF_8));
            hash = String.format(Locale.ROOT, "%02x%02x%02x%02x", digest[0], digest[1], digest[2], digest[3]);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        return part.substring(0, MAX_GROUP_CHARS - 9) + "-" + hash;
    }

    /**
     * The name without its placeholders and the separators around them ({@code events} for
     * {@code events-{yyyy.MM.dd}}, {@code cwl} for {@code cwl-{log_group}-{yyyy.MM.dd}}), for names derived from it
     * such as the index template's; the name when fixed.
     */
    public String stem() {
        if (!isPattern()) {
            return literals.get(0);
        }
        String stem = String.join("", literals).replaceAll("([-_.+])[-_.+]+", "$1").replaceAll("^[-_.+]+|[-_.+]+$", "");
        return stem.isEmpty() ? "events" : stem;
    }

    /** The index pattern that matches every index this name gives: the name itself when it is fixed. */
    public String wildcard() {
        return String.join("*", literals);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IndexName)) {
            return false;
        }
        IndexName that = (IndexName) o;
        return literals.equals(that.literals) && placeholders.equals(that.placeholders);
    }

    @Override
    public int hashCode() {
        return Objects.hash(literals, placeholders);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(literals.get(0));
        for (int i = 0; i < placeholders.size(); i++) {
            String placeholder = placeholders.get(i);
            text.append(LOG_GROUP.equals(placeholder) ? placeholder : "{" + placeholder + "}")
                    .append(literals.get(i + 1));
        }
        return text.toString();
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
