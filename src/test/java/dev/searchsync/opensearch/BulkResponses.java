package dev.searchsync.opensearch;

import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.common.xcontent.json.JsonXContent;
import org.opensearch.core.xcontent.DeprecationHandler;
import org.opensearch.core.xcontent.NamedXContentRegistry;
import org.opensearch.core.xcontent.XContentParser;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Bulk responses read from the JSON OpenSearch sends, the way the REST client reads them, for inspector tests. */
final class BulkResponses {
    private BulkResponses() {}

    static BulkResponse parse(String json) {
        try (XContentParser parser = JsonXContent.jsonXContent.createParser(NamedXContentRegistry.EMPTY,
                DeprecationHandler.THROW_UNSUPPORTED_OPERATION, json)) {
            return BulkResponse.fromXContent(parser);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
