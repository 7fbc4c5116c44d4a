package dev.searchsync.opensearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHeaders;
import org.apache.http.HttpRequest;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.protocol.HttpContext;
import org.apache.http.util.EntityUtils;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Puts the exact numbers {@link ExactNumbers} protected back into the documents of each {@code _bulk} body just
 * before it is sent (and before it is signed). Only document lines are touched; action lines, which carry ids,
 * pass as they are.
 */
public final class ExactNumbersInterceptor implements HttpRequestInterceptor {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public void process(HttpRequest request, HttpContext context) throws IOException {
        if (!(request instanceof HttpEntityEnclosingRequest)
                || !request.getRequestLine().getUri().split("\\?", 2)[0].endsWith("/_bulk")) {
            return;
        }
        HttpEntityEnclosingRequest enclosing = (HttpEntityEnclosingRequest) request;
        HttpEntity entity = enclosing.getEntity();
        if (entity == null) {
            return;
        }
        byte[] body = EntityUtils.toByteArray(entity);
        byte[] restored = restoreBulk(body);
        ByteArrayEntity replacement = new ByteArrayEntity(restored, ContentType.parse(
                entity.getContentType() == null ? "application/json" : entity.getContentType().getValue()));
        enclosing.setEntity(replacement);
        if (request.containsHeader(HttpHeaders.CONTENT_LENGTH)) {
            request.setHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(restored.length));
        }
    }

    /** Restores the document line after each index or create action of an NDJSON bulk body. */
    static byte[] restoreBulk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
        int start = 0;
        boolean nextIsDocument = false;
        while (start < body.length) {
            int end = start;
            while (end < body.length && body[end] != '\n') {
                end++;
            }
            byte[] line = java.util.Arrays.copyOfRange(body, start, end);
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

    private static String actionOf(byte[] line) throws IOException {
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
