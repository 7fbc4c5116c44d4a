package dev.searchsync.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The composable index template built from a mapping file, so that indices created later get its mappings too. */
final class IndexTemplate {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private IndexTemplate() {}

    /**
     * The body of {@code PUT _index_template/<name>}: {@code patterns}, and as its template the mapping file's
     * settings, mappings and aliases, plus {@code aliasOrNull}. The alias carries no {@code is_write_index}: every
     * index the template creates joins it for reading, and the job's write index keeps the writes.
     */
    static ObjectNode body(List<String> patterns, JsonNode mappingOrNull, String aliasOrNull) {
        ObjectNode body = NODES.objectNode();
        patterns.forEach(body.putArray("index_patterns")::add);
        ObjectNode template = body.putObject("template");
        if (mappingOrNull != null) {
            for (String part : List.of("settings", "mappings", "aliases")) {
                if (mappingOrNull.has(part)) {
                    template.set(part, mappingOrNull.get(part).deepCopy());
                }
            }
        }
        if (aliasOrNull != null) {
            JsonNode aliases = template.path("aliases");
            (aliases.isObject() ? (ObjectNode) aliases : template.putObject("aliases")).putObject(aliasOrNull);
        }
        // Tells whoever lists the cluster's templates where this one comes from, and that a restart rewrites it.
        body.putObject("_meta").put("managed_by", "searchsync");
        return body;
    }

    /** True when one of {@code patterns} matches {@code index}, each {@code *} standing for any text as in OpenSearch. */
    static boolean matches(List<String> patterns, String index) {
        for (String pattern : patterns) {
            String regex = Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote)
                    .collect(Collectors.joining(".*"));
            if (Pattern.matches(regex, index)) {
                return true;
            }
        }
        return false;
    }
}
