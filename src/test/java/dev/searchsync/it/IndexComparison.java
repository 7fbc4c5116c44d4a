package dev.searchsync.it;

import dev.searchsync.cdc.dynamodb.DocumentIds;
import dev.searchsync.cdc.dynamodb.ItemDocuments;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.testbed.OpenSearchServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** Compares an index with a full scan of its table: same ids, same documents, nothing extra. */
public final class IndexComparison {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexComparison() {}

    /** The differences, at most a few of each kind; empty when the index equals the table. */
    public static List<String> differences(
            List<Map<String, AttributeValue>> items, KeySchema schema, OpenSearchServer opensearch, String index)
            throws Exception {
        Map<String, JsonNode> expected = new HashMap<>();
        for (Map<String, AttributeValue> item : items) {
            expected.put(DocumentIds.of(item, schema), JSON.readTree(ItemDocuments.toJson(item)));
        }
        Map<String, JsonNode> actual = new HashMap<>();
        documents(opensearch, index).forEach((id, hit) -> actual.put(id, hit.path("_source")));
        List<String> differences = new ArrayList<>();
        for (String id : new TreeSet<>(expected.keySet())) {
            if (!actual.containsKey(id)) {
                differences.add("missing " + id);
            } else if (!actual.get(id).equals(expected.get(id))) {
                differences.add("differs " + id + ": index " + actual.get(id) + " table " + expected.get(id));
            }
        }
        for (String id : new TreeSet<>(actual.keySet())) {
            if (!expected.containsKey(id)) {
                differences.add("extra " + id);
            }
        }
        return differences;
    }

    /** Every document of {@code index} (up to 10,000), by id, as a search hit: {@code _version} and {@code _source}. */
    static Map<String, JsonNode> documents(OpenSearchServer opensearch, String index) throws Exception {
        opensearch.refresh(index);
        Map<String, JsonNode> documents = new HashMap<>();
        for (JsonNode hit : opensearch.requestJson("GET", "/" + index + "/_search?size=10000&version=true",
                "{\"query\":{\"match_all\":{}}}").path("hits").path("hits")) {
            documents.put(hit.path("_id").asText(), hit);
        }
        return documents;
    }
}
