package dev.searchsync.opensearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/** Restores the documents of an NDJSON {@code _bulk} body protected by {@link ExactNumbers}; ids pass untouched. */
final class ExactBulkBodies {
    private static final JsonFactory JSON = new JsonFactory();

    private ExactBulkBodies() {}

    /** The body with the document line after each index, create or update action restored. */
    static byte[] restore(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int start = 0;
        boolean nextIsDocument = false;
        while (start < body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            byte[] line = Arrays.copyOfRange(body, start, end);
            if (nextIsDocument) {
                out.write(ExactNumbers.restoreBytes(line));
                nextIsDocument = false;
            } else {
                out.write(line);
                String action = actionOf(line);
                nextIsDocument = "index".equals(action) || "create".equals(action) || "update".equals(action);
            }
            if (end < body.length) {
                out.write('\n');
            }
            start = end + 1;
        }
        return out.toByteArray();
    }

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
}
