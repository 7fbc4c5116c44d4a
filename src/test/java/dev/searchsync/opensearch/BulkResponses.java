package dev.searchsync.opensearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Bulk answers written as OpenSearch sends them, read the way the sink reads them, for inspector tests. */
final class BulkResponses {
    private BulkResponses() {}

    static List<BulkAnswer.Item> parse(String json) {
        try {
            return BulkAnswer.items(json.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A successful delete; {@code found} false answers 404 "not_found", as OpenSearch does for a missing one. */
    static String deleted(String index, String id, long version, boolean found) {
        return "{\"delete\":{\"_index\":\"" + index + "\",\"_id\":\"" + id + "\",\"_version\":" + version
                + ",\"result\":\"" + (found ? "deleted" : "not_found") + "\",\"_shards\":{\"total\":1,"
                + "\"successful\":1,\"failed\":0},\"_seq_no\":1,\"_primary_term\":1,\"status\":"
                + (found ? 200 : 404) + "}}";
    }

    /** One response item: {@code {"index":{"_index":..,"_id":..,"status":201,...}}}. */
    static String indexed(String index, String id, long version) {
        return "{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"" + id + "\",\"_version\":" + version
                + ",\"result\":\"created\",\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0},\"_seq_no\":0,"
                + "\"_primary_term\":1,\"status\":201}}";
    }

    /** A failed item of {@code op} with OpenSearch's error type and reason. */
    static String failed(String op, String index, String id, int status, String type, String reason) {
        return "{\"" + op + "\":{\"_index\":\"" + index + "\",\"_id\":\"" + id + "\",\"status\":" + status
                + ",\"error\":{\"type\":\"" + type + "\",\"reason\":\"" + reason + "\"}}}";
    }

    /** A whole response around {@code items}. */
    static String of(String... items) {
        return "{\"took\":3,\"errors\":true,\"items\":[" + String.join(",", items) + "]}";
    }
}
