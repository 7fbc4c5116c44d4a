package dev.searchsync.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The one configuration shape searchsync reads everywhere: {@code PropertyGroupId -> {key -> value}}, as Managed
 * Service for Apache Flink hands it to the job and as the local JSON file holds it, with where it was read from.
 */
public final class PropertyGroups {
    /**
     * Where the groups were read from. Some defaults only suit one of them (a local folder for dead letters), so
     * the reader says which, rather than the job guessing it from its environment.
     */
    public enum Origin {
        /** The runtime properties of a Managed Service for Apache Flink application. */
        MANAGED_FLINK,
        /** A local run: a {@code --properties} file, or groups built in code. */
        LOCAL
    }

    private final Map<String, Map<String, String>> groups;
    private final Origin origin;

    private PropertyGroups(Map<String, Map<String, String>> groups, Origin origin) {
        Map<String, Map<String, String>> copy = new TreeMap<>();
        groups.forEach((id, values) -> copy.put(id, Collections.unmodifiableMap(new TreeMap<>(values))));
        this.groups = Collections.unmodifiableMap(copy);
        this.origin = Objects.requireNonNull(origin);
    }

    /** Groups built in code for a local run. */
    public static PropertyGroups of(Map<String, Map<String, String>> groups) {
        return new PropertyGroups(groups, Origin.LOCAL);
    }

    /** Groups built in code, checked as if read from {@code origin}. */
    public static PropertyGroups of(Map<String, Map<String, String>> groups, Origin origin) {
        return new PropertyGroups(groups, origin);
    }

    /**
     * Converts what {@code KinesisAnalyticsRuntime.getApplicationProperties()} returns: the runtime properties of a
     * Managed Service for Apache Flink application, so {@link Origin#MANAGED_FLINK}.
     */
    public static PropertyGroups fromProperties(Map<String, Properties> runtimeGroups) {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        runtimeGroups.forEach((id, properties) -> {
            Map<String, String> values = new LinkedHashMap<>();
            properties.stringPropertyNames().forEach(key -> values.put(key, properties.getProperty(key)));
            groups.put(id, values);
        });
        return new PropertyGroups(groups, Origin.MANAGED_FLINK);
    }

    /**
     * Reads a local JSON file ({@link Origin#LOCAL}). Two spellings of the same shape are accepted: an object
     * {@code {"group": {"key": "value"}}}, or the array the MSF API and Terraform use,
     * {@code [{"PropertyGroupId": "group", "PropertyMap": {"key": "value"}}]}.
     */
    public static PropertyGroups fromJsonFile(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the property groups file " + file + ": " + e.getMessage(), e);
        }
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        if (root != null && root.isArray()) {
            for (JsonNode entry : root) {
                JsonNode id = entry.get("PropertyGroupId");
                JsonNode map = entry.get("PropertyMap");
                if (id == null || !id.isTextual() || map == null || !map.isObject()) {
                    throw new IllegalArgumentException(file + ": each array entry needs a string \"PropertyGroupId\""
                            + " and an object \"PropertyMap\", got " + entry);
                }
                groups.put(id.asText(), readMap(file, id.asText(), map));
            }
        } else if (root != null && root.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                if (!entry.getValue().isObject()) {
                    throw new IllegalArgumentException(file + ": property group '" + entry.getKey()
                            + "' must be an object of key -> value, got " + entry.getValue().getNodeType());
                }
                groups.put(entry.getKey(), readMap(file, entry.getKey(), entry.getValue()));
            }
        } else {
            throw new IllegalArgumentException(file + ": expected a JSON object of property groups or an array of"
                    + " {PropertyGroupId, PropertyMap}");
        }
        return new PropertyGroups(groups, Origin.LOCAL);
    }

    private static Map<String, String> readMap(Path file, String group, JsonNode map) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            JsonNode value = entry.getValue();
            if (value.isContainerNode() || value.isNull()) {
                throw new IllegalArgumentException(file + ": property group '" + group + "', key '" + entry.getKey()
                        + "' must be a string, number or boolean, got " + value.getNodeType());
            }
            values.put(entry.getKey(), value.asText());
        }
        return values;
    }

    public Map<String, Map<String, String>> asMap() {
        return groups;
    }

    public Map<String, String> group(String id) {
        return groups.getOrDefault(id, Map.of());
    }

    public Origin origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "PropertyGroups" + groups.keySet() + " from " + origin;
    }
}
