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

    /** Hits per scroll page: OpenSearch refuses a search window over 10,000 hits, a scroll has none. */
    private static final int PAGE = 5_000;

    /**
     * Every document of {@code index} (or pattern), by id, as a search hit: {@code _version} and {@code _source}.
     * Read with the scroll API, so an index of any size is read whole.
     */
    static Map<String, JsonNode> documents(OpenSearchServer opensearch, String index) throws Exception {
        opensearch.refresh(index);
        Map<String, JsonNode> documents = new HashMap<>();
        JsonNode page = opensearch.requestJson("POST", "/" + index + "/_search?scroll=1m&size=" + PAGE
                + "&version=true", "{\"query\":{\"match_all\":{}},\"sort\":[\"_doc\"]}");
        String scrollId = page.path("_scroll_id").asText(null);
        try {
            while (page.path("hits").path("hits").size() > 0) {
                for (JsonNode hit : page.path("hits").path("hits")) {
                    documents.put(hit.path("_id").asText(), hit);
                }
                if (scrollId == null) {
                    break;
                }
                page = opensearch.requestJson("POST", "/_search/scroll",
                        JSON.writeValueAsString(Map.of("scroll", "1m", "scroll_id", scrollId)));
                scrollId = page.path("_scroll_id").asText(scrollId);
            }
        } finally {
            if (scrollId != null) {
                opensearch.exchange("DELETE", "/_search/scroll",
                        JSON.writeValueAsString(Map.of("scroll_id", List.of(scrollId))));
            }
        }
        return documents;
    }
}
