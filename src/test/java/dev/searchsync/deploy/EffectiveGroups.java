package dev.searchsync.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.searchsync.config.PropertyGroups;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/** The property groups one application receives; each value knows its file and whether it is known before apply. */
final class EffectiveGroups {
    /** One property value: its text, whether it is an expression, and where it was written. */
    record Value(String text, boolean expression, Path origin) {}

    private final Map<String, Map<String, Value>> groups = new LinkedHashMap<>();
    private final Map<String, Path> groupOrigins = new HashMap<>();
    /** Groups given as a whole by an expression: their keys are only known at apply time. */
    private final Set<String> opaqueGroups = new HashSet<>();

    /**
     * Adds an HCL object literal {@code {group = {key = value}}}. A later addition wins per key, as the module's
     * own merge does (managed keys are added last).
     */
    void addTerraform(Path file, JsonNode object, BiConsumer<Path, String> problems) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> group = it.next();
            JsonNode keys = group.getValue();
            if (keys.isTextual() && !Templates.isLiteral(keys.asText())) {
                opaqueGroups.add(group.getKey());
                group(group.getKey(), file);
            } else if (!keys.isObject()) {
                problems.accept(file, "property group '" + group.getKey() + "' is " + keys
                        + ", expected an object of key = value");
            } else {
                Map<String, Value> values = group(group.getKey(), file);
                keys.fields().forEachRemaining(entry -> add(file, group.getKey(), entry, values, problems));
            }
        }
    }

    /** Adds groups read from a JSON file: its text reaches the job as it is, so nothing in it is an expression. */
    void addJson(Path file, PropertyGroups read) {
        read.asMap().forEach((group, keys) -> {
            Map<String, Value> values = group(group, file);
            keys.forEach((key, text) -> values.put(key, new Value(text, false, file)));
        });
    }

    PropertyGroups toPropertyGroups() {
        Map<String, Map<String, String>> texts = new LinkedHashMap<>();
        groups.forEach((group, keys) -> {
            Map<String, String> values = new LinkedHashMap<>();
            keys.forEach((key, value) -> values.put(key, value.text()));
            texts.put(group, values);
        });
        // Terraform deploys to Managed Service for Apache Flink: check the groups as the job reads them there.
        return PropertyGroups.of(texts, PropertyGroups.Origin.MANAGED_FLINK);
    }

    Value value(String group, String key) {
        return groups.getOrDefault(group, Map.of()).get(key);
    }

    /** The keys of {@code group} whose value is an expression. */
    Set<String> expressionKeys(String group) {
        Set<String> keys = new HashSet<>();
        groups.getOrDefault(group, Map.of()).forEach((key, value) -> {
            if (value.expression()) {
                keys.add(key);
            }
        });
        return keys;
    }

    /** Every {@code group/key} whose value is an expression, as problems of other groups name it. */
    Set<String> expressionPaths() {
        Set<String> paths = new HashSet<>();
        groups.forEach((group, values) -> values.forEach((key, value) -> {
            if (value.expression()) {
                paths.add(group + "/" + key);
            }
        }));
        return paths;
    }

    boolean isOpaque(String group) {
        return opaqueGroups.contains(group);
    }

    /** The file that first named {@code group}, or null. */
    Path origin(String group) {
        return groupOrigins.get(group);
    }

    private Map<String, Value> group(String group, Path file) {
        groupOrigins.putIfAbsent(group, file);
        return groups.computeIfAbsent(group, g -> new LinkedHashMap<>());
    }

    private static void add(Path file, String group, Map.Entry<String, JsonNode> entry, Map<String, Value> values,
            BiConsumer<Path, String> problems) {
        JsonNode value = entry.getValue();
        if (value.isTextual()) {
            String text = value.asText();
            boolean expression = !Templates.isLiteral(text);
            values.put(entry.getKey(), new Value(expression ? text : Templates.unescape(text), expression, file));
        } else if (value.isNumber() || value.isBoolean()) {
            // Terraform turns them into strings for a map(string); hcl2json parsed numbers as JavaScript does, so
            // 1.50 arrives as 1.5 — the same number to the job.
            values.put(entry.getKey(), new Value(value.asText(), false, file));
        } else if (!value.isNull()) {
            problems.accept(file, "property group '" + group + "', key '" + entry.getKey() + "' is " + value
                    + ", expected a string, number or boolean");
        }
    }
}
