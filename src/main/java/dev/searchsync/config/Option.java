package dev.searchsync.config;

import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;

/** One configuration key of one property group, with its type, default and the description the docs show. */
public final class Option<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String group;
    private final String key;
    private final ValueType<T> type;
    private final T defaultValue;
    private final String description;
    private final boolean secret;

    private Option(String group, String key, ValueType<T> type, T defaultValue, String description, boolean secret) {
        this.group = Objects.requireNonNull(group);
        this.key = Objects.requireNonNull(key);
        this.type = Objects.requireNonNull(type);
        this.defaultValue = defaultValue;
        this.description = Objects.requireNonNull(description);
        this.secret = secret;
    }

    public static <T> Option<T> of(String group, String key, ValueType<T> type, T defaultValue, String description) {
        return new Option<>(group, key, type, defaultValue, description, false);
    }

    /** An option whose value is never echoed in errors or logs. */
    public static <T> Option<T> secret(String group, String key, ValueType<T> type, String description) {
        return new Option<>(group, key, type, null, description, true);
    }

    public String group() {
        return group;
    }

    public String key() {
        return key;
    }

    public ValueType<T> type() {
        return type;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default as property text, or an empty string when the option has none. */
    public String defaultText() {
        return defaultValue == null ? "" : type.format(defaultValue);
    }

    public String description() {
        return description;
    }

    public boolean isSecret() {
        return secret;
    }

    @Override
    public String toString() {
        return group + "/" + key;
    }
}
