package dev.searchsync.config;

import java.io.Serializable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Parses one property value and says, in words a user understands, what it expected when it cannot. */
public abstract class ValueType<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String description;

    protected ValueType(String description) {
        this.description = description;
    }

    /** What a valid value looks like, as printed in errors and in docs/configuration.md. */
    public String expected() {
        return description;
    }

    /** Returns the parsed value, or throws {@link IllegalArgumentException} when the text does not fit. */
    public abstract T parse(String text);

    /** Renders a value back to its property text (used for defaults in the docs). */
    public String format(T value) {
        return String.valueOf(value);
    }

    public static ValueType<String> string(String description) {
        return new ValueType<>(description) {
            private static final long serialVersionUID = 1L;

            @Override
            public String parse(String text) {
                if (text.isBlank()) {
                    throw new IllegalArgumentException();
                }
                return text.trim();
            }
        };
    }

    /** A string that must satisfy {@code check}; {@code description} says what it must look like. */
    public static ValueType<String> matching(String description, SerializablePredicate<String> check) {
        return new ValueType<>(description) {
            private static final long serialVersionUID = 1L;

            @Override
            public String parse(String text) {
                String trimmed = text.trim();
                if (!check.test(trimmed)) {
                    throw new IllegalArgumentException();
                }
                return trimmed;
            }
        };
    }

    public static ValueType<Long> longInRange(long min, long max, String description) {
        return new ValueType<>(description) {
            private static final long serialVersionUID = 1L;

            @Override
            public Long parse(String text) {
                long value = Long.parseLong(text.trim());
                if (value < min || value > max) {
                    throw new IllegalArgumentException();
                }
                return value;
            }
        };
    }

    public static ValueType<Long> positiveMillis() {
        return longInRange(1, Long.MAX_VALUE, "a positive whole number of milliseconds");
    }

    public static ValueType<Integer> intInRange(int min, int max) {
        return new ValueType<>("a whole number from " + min + " to " + max) {
            private static final long serialVersionUID = 1L;

            @Override
            public Integer parse(String text) {
                int value = Integer.parseInt(text.trim());
                if (value < min || value > max) {
                    throw new IllegalArgumentException();
                }
                return value;
            }
        };
    }

    /** {@code true} or {@code false}, in any case. */
    public static ValueType<Boolean> bool() {
        return new ValueType<>("true or false") {
            private static final long serialVersionUID = 1L;

            @Override
            public Boolean parse(String text) {
                String trimmed = text.trim();
                if (trimmed.equalsIgnoreCase("true")) {
                    return true;
                }
                if (trimmed.equalsIgnoreCase("false")) {
                    return false;
                }
                throw new IllegalArgumentException();
            }
        };
    }

    public static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type) {
        String names = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        return new ValueType<>("one of " + names) {
            private static final long serialVersionUID = 1L;

            @Override
            public E parse(String text) {
                return Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT));
            }

            @Override
            public String format(E value) {
                return value.name();
            }
        };
    }

    public static ValueType<URI> httpUrl() {
        return new ValueType<>("an http:// or https:// URL") {
            private static final long serialVersionUID = 1L;

            @Override
            public URI parse(String text) {
                try {
                    URI uri = new URI(text.trim());
                    String scheme = uri.getScheme();
                    if (uri.getHost() == null
                            || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                        throw new IllegalArgumentException();
                    }
                    return uri;
                } catch (URISyntaxException e) {
                    throw new IllegalArgumentException(e);
                }
            }
        };
    }

    /** A {@link Predicate} that can travel inside a serialized job graph. */
    public interface SerializablePredicate<T> extends Predicate<T>, Serializable {}
}
