package dev.searchsync.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed options out of property groups and collects every problem instead of stopping at the first, so
 * a user fixes a configuration in one round trip.
 */
public final class ConfigReader {
    private final PropertyGroups groups;
    private final List<String> problems = new ArrayList<>();

    public ConfigReader(PropertyGroups groups) {
        this.groups = groups;
    }

    /** The parsed value, the default when the key is absent, or empty (with a problem recorded when it is bad). */
    public <T> Optional<T> get(Option<T> option) {
        String raw = raw(option);
        if (raw == null) {
            return option.defaultValue();
        }
        try {
            return Optional.of(option.type().parse(raw));
        } catch (IllegalArgumentException e) {
            problem(option, "expected " + option.type().expected());
            return Optional.empty();
        }
    }

    /** The parsed value, or the default (possibly null) when the key is absent or bad; a bad value is recorded. */
    public <T> T value(Option<T> option) {
        return get(option).orElseGet(() -> option.defaultValue().orElse(null));
    }

    /** Like {@link #get} but records a problem when neither a value nor a default exists. */
    public <T> Optional<T> require(Option<T> option) {
        if (raw(option) == null && option.defaultValue().isEmpty()) {
            problems.add(where(option) + ": missing, expected " + option.type().expected());
            return Optional.empty();
        }
        return get(option);
    }

    public boolean isSet(Option<?> option) {
        return raw(option) != null;
    }

    /** Where the groups were read from: MSF's runtime properties or a local run. */
    public PropertyGroups.Origin origin() {
        return groups.origin();
    }

    /** Records a problem about the value an option holds. */
    public void problem(Option<?> option, String expectation) {
        String raw = raw(option);
        String got = raw == null ? "nothing" : option.isSecret() ? "a value (not shown)" : "'" + raw + "'";
        problems.add(where(option) + ": got " + got + ", " + expectation);
    }

    /**
     * Records each of {@code options} that is set as a problem: their group applies only to
     * {@code source/type=<appliesTo>}, and the input is of {@code type}.
     */
    public void refuseGroup(Collection<Option<?>> options, String appliesTo, String type) {
        for (Option<?> option : options) {
            if (isSet(option)) {
                problem(option, "expected nothing: the group applies only to source/type=" + appliesTo
                        + ", and source/type is " + type);
            }
        }
    }

    /** Records a problem that is not about one value (for example two keys that exclude each other). */
    public void problem(String group, String text) {
        problems.add("property group '" + group + "': " + text);
    }

    /** Records every key that no option describes, and every group no option belongs to. */
    public void rejectUnknown(Collection<Option<?>> known) {
        Map<String, Set<String>> keysByGroup = new HashMap<>();
        for (Option<?> option : known) {
            keysByGroup.computeIfAbsent(option.group(), g -> new TreeSet<>()).add(option.key());
        }
        groups.asMap().forEach((group, values) -> {
            Set<String> keys = keysByGroup.get(group);
            if (keys == null) {
                problems.add("property group '" + group + "': unknown group, expected one of "
                        + String.join(", ", new TreeSet<>(keysByGroup.keySet())));
                return;
            }
            for (String key : values.keySet()) {
                if (!keys.contains(key)) {
                    String suggestion = closest(key, keys);
                    problems.add("property group '" + group + "', key '" + key + "': unknown key, "
                            + (suggestion == null ? "" : "did you mean '" + suggestion + "'? ")
                            + "expected one of " + String.join(", ", keys));
                }
            }
        });
    }

    /** Throws when any problem was recorded. */
    public void throwIfInvalid() {
        if (!problems.isEmpty()) {
            throw new InvalidConfigurationException(new ArrayList<>(new LinkedHashSet<>(problems)));
        }
    }

    /** The known key within two edits of {@code key}, if exactly one is nearest. */
    private static String closest(String key, Set<String> keys) {
        String best = null;
        int bestDistance = 3;
        for (String candidate : keys) {
            int distance = editDistance(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    private String raw(Option<?> option) {
        String value = groups.group(option.group()).get(option.key());
        return value == null || value.isBlank() ? null : value;
    }

    private static String where(Option<?> option) {
        return "property group '" + option.group() + "', key '" + option.key() + "'";
    }
}
