package dev.searchsync.opensearch;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Flattens a mapping to field path → type, so an index's mapping and a mapping file can be compared field by
 * field; objects without a type are {@code object}, sub-fields and multi-fields are named {@code parent.child}.
 */
final class MappingFields {
    private MappingFields() {}

    /** Every field under {@code mappings.properties}, recursively, sorted by path. */
    static Map<String, String> of(JsonNode mappings) {
        Map<String, String> fields = new TreeMap<>();
        collect(mappings.path("properties"), "", fields);
        return fields;
    }

    /** One line per field of the file that the index lacks or types differently; fields only the index has are fine. */
    static List<String> disagreements(Map<String, String> index, Map<String, String> file) {
        List<String> out = new ArrayList<>();
        file.forEach((field, fileType) -> {
            String indexType = index.get(field);
            if (indexType == null) {
                out.add("field '" + field + "': index has no such field, mapping file has '" + fileType + "'");
            } else if (!indexType.equals(fileType)) {
                out.add("field '" + field + "': index has '" + indexType + "', mapping file has '" + fileType + "'");
            }
        });
        return out;
    }

    private static void collect(JsonNode properties, String prefix, Map<String, String> fields) {
        for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String path = prefix + entry.getKey();
            JsonNode spec = entry.getValue();
            fields.put(path, spec.path("type").asText("object"));
            collect(spec.path("properties"), path + ".", fields);
            collect(spec.path("fields"), path + ".", fields);
        }
    }
}
