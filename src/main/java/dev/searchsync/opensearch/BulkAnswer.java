package dev.searchsync.opensearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The items of a {@code _bulk} answer, read in one streaming pass: what the job needs of each (its operation, id,
 * status and error) and nothing else, so a bulk of a thousand successes costs no tree of a thousand objects.
 */
final class BulkAnswer {
    private static final JsonFactory JSON = new JsonFactory();

    private BulkAnswer() {}

    /** One action's answer. */
    static final class Item {
        final String op;
        /** The concrete index that answered (behind an alias, not the alias). */
        final String index;
        final String id;
        final int status;
        /** OpenSearch's error type and reason; both null when the action succeeded. */
        final String errorType;
        final String errorReason;

        Item(String op, String index, String id, int status, String errorType, String errorReason) {
            this.op = op;
            this.index = index;
            this.id = id;
            this.status = status;
            this.errorType = errorType;
            this.errorReason = errorReason;
        }

        boolean failed() {
            return errorType != null || errorReason != null || status >= 300 && !isDeleteOfMissing();
        }

        /** A delete of a missing document answers 404 "not_found" without failing: a delete done. */
        private boolean isDeleteOfMissing() {
            return "delete".equals(op) && status == 404 && errorType == null;
        }

        ActionFailures.Failure failure() {
            return new ActionFailures.Failure(errorType, errorReason == null ? "status " + status : errorReason,
                    status);
        }
    }

    /** The items in answer order. */
    static List<Item> items(byte[] answer) throws IOException {
        List<Item> items = new ArrayList<>();
        try (JsonParser in = JSON.createParser(answer)) {
            expect(in.nextToken(), JsonToken.START_OBJECT);
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String field = in.getCurrentName();
                JsonToken value = in.nextToken();
                if ("items".equals(field) && value == JsonToken.START_ARRAY) {
                    while (in.nextToken() == JsonToken.START_OBJECT) {
                        items.add(item(in));
                    }
                } else {
                    in.skipChildren();
                }
            }
        }
        return items;
    }

    /** {@code {"index": {"_index": .., "_id": .., "status": .., "error": {..}}}}, the parser on its opening brace. */
    private static Item item(JsonParser in) throws IOException {
        expect(in.nextToken(), JsonToken.FIELD_NAME);
        String op = in.getCurrentName();
        expect(in.nextToken(), JsonToken.START_OBJECT);
        String index = null;
        String id = null;
        int status = 0;
        String type = null;
        String reason = null;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String field = in.getCurrentName();
            JsonToken value = in.nextToken();
            if ("_index".equals(field)) {
                index = in.getValueAsString();
            } else if ("_id".equals(field)) {
                id = in.getValueAsString();
            } else if ("status".equals(field)) {
                status = in.getIntValue();
            } else if ("error".equals(field) && value == JsonToken.START_OBJECT) {
                while (in.nextToken() == JsonToken.FIELD_NAME) {
                    String errorField = in.getCurrentName();
                    in.nextToken();
                    if ("type".equals(errorField)) {
                        type = in.getValueAsString();
                    } else if ("reason".equals(errorField)) {
                        reason = in.getValueAsString();
                    } else {
                        in.skipChildren();
                    }
                }
            } else if ("error".equals(field)) {
                reason = in.getValueAsString(); // an error given as text alone
            } else {
                in.skipChildren();
            }
        }
        expect(in.nextToken(), JsonToken.END_OBJECT);
        return new Item(op, index, id, status, type, reason);
    }

    private static void expect(JsonToken got, JsonToken expected) throws IOException {
        if (got != expected) {
            throw new IOException("a bulk answer read " + got + " where it expected " + expected);
        }
    }
}
