package dev.searchsync.opensearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpRequest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads just enough of a {@code _bulk} exchange to send some of its actions again. */
final class BulkActions {
    private static final JsonFactory JSON = new JsonFactory();

    private BulkActions() {}

    /**
     * The actions of an NDJSON bulk body, each with its lines and their newlines: an action line, and a document line
     * after {@code index}, {@code create} and {@code update}.
     */
    static List<byte[]> split(byte[] body) throws IOException {
        List<byte[]> actions = new ArrayList<>();
        int start = 0;
        while (start < body.length) {
            int lineEnd = lineEnd(body, start);
            if (lineEnd == start) {
                start++; // a blank line
                continue;
            }
            String action = actionOf(Arrays.copyOfRange(body, start, lineEnd));
            if (action == null) {
                throw new IOException("not a bulk action line at byte " + start);
            }
            int end = lineEnd;
            if (!"delete".equals(action)) {
                end = lineEnd(body, Math.min(body.length, lineEnd + 1));
            }
            end = Math.min(body.length, end + 1);
            actions.add(Arrays.copyOfRange(body, start, end));
            start = end;
        }
        return actions;
    }

    /** The operation an action line names ({@code index}, {@code delete}, ...), or null for a line that is none. */
    static String actionOf(byte[] line) throws IOException {
        if (line.length == 0) {
            return null;
        }
        try (JsonParser parser = JSON.createParser(line)) {
            return parser.nextToken() == JsonToken.START_OBJECT && parser.nextToken() == JsonToken.FIELD_NAME
                    ? parser.getCurrentName()
                    : null;
        }
    }

    /**
     * Whether {@code request} is a {@code _bulk} call with a plain (not content-encoded) body: the only requests the
     * retrying HTTP client under the REST client sends again.
     */
    static boolean isPlainBulk(HttpRequest request) {
        if (!(request instanceof HttpEntityEnclosingRequest)) {
            return false;
        }
        HttpEntity entity = ((HttpEntityEnclosingRequest) request).getEntity();
        return entity != null && entity.getContentEncoding() == null
                && request.getRequestLine().getUri().split("\\?", 2)[0].endsWith("/_bulk");
    }

    /** Whether a bulk answer says that some action failed ({@code "errors": true}), read without parsing its items. */
    static boolean answerHasErrors(byte[] answer) throws IOException {
        try (JsonParser parser = JSON.createParser(answer)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return true;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.getCurrentName();
                JsonToken value = parser.nextToken();
                if ("errors".equals(field)) {
                    return value != JsonToken.VALUE_FALSE;
                }
                parser.skipChildren();
            }
            return true;
        }
    }

    private static int lineEnd(byte[] body, int from) {
        int end = from;
        while (end < body.length && body[end] != '\n') {
            end++;
        }
        return end;
    }
}
