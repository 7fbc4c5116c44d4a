package dev.searchsync.validate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * Finds documents OpenSearch would reject for their size or their number of fields, so they become dead letters
 * before the sink, where one such document would fail a whole bulk. Ids need no check: inputs bound them when they
 * build them. An input that counts a document's field paths while building it spares the parse here.
 */
public final class DocumentLimits implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The error type of a VALIDATE failure. */
    public static final String ERROR_TYPE = "DocumentLimitExceeded";
    private static final JsonFactory JSON = new JsonFactory();

    private final int maxDocumentBytes;
    private final int maxFields;

    public DocumentLimits(int maxDocumentBytes, int maxFields) {
        this.maxDocumentBytes = maxDocumentBytes;
        this.maxFields = maxFields;
    }

    /** Why {@code document} would be rejected, or null when it is within the limits. */
    public String problem(String document) {
        return problem(document.getBytes(StandardCharsets.UTF_8), -1);
    }

    /**
     * Why the UTF-8 JSON {@code document} would be rejected, or null when it is within the limits.
     *
     * @param fieldPaths its distinct field paths as whoever built it counted them, or negative to have them counted
     *     here, which parses the document
     */
    public String problem(byte[] document, int fieldPaths) {
        if (document.length > maxDocumentBytes) {
            return "document of " + document.length + " bytes is over index/max.document.bytes (" + maxDocumentBytes
                    + ")";
        }
        int fields = fieldPaths >= 0 ? fieldPaths : countFieldPaths(document);
        if (fields > maxFields) {
            return "document has " + fields + " distinct fields, over index/max.fields (" + maxFields + ")";
        }
        return null;
    }

    /** Distinct dotted field paths, as a mapping would hold them (array elements share their field's path). */
    static int countFieldPaths(String document) {
        return countFieldPaths(document.getBytes(StandardCharsets.UTF_8));
    }

    /** {@link #countFieldPaths(String)} of UTF-8 JSON; public so that an input counting as it builds can be checked. */
    public static int countFieldPaths(byte[] document) {
        Set<String> paths = new HashSet<>();
        // The path of each open object or array; a value inside an array belongs to the array's field.
        Deque<String> containers = new ArrayDeque<>();
        Deque<Boolean> isArray = new ArrayDeque<>();
        String lastField = "";
        try (JsonParser parser = JSON.createParser(document)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case FIELD_NAME:
                        String prefix = containers.isEmpty() ? "" : containers.peek();
                        lastField = prefix.isEmpty() ? parser.getCurrentName() : prefix + '.' + parser.getCurrentName();
                        paths.add(lastField);
                        break;
                    case START_OBJECT:
                    case START_ARRAY:
                        String path = containers.isEmpty() ? "" : isArray.peek() ? containers.peek() : lastField;
                        containers.push(path);
                        isArray.push(token == JsonToken.START_ARRAY);
                        break;
                    case END_OBJECT:
                    case END_ARRAY:
                        containers.pop();
                        isArray.pop();
                        break;
                    default:
                        break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return paths.size();
    }

    @Override
    public String toString() {
        return "DocumentLimits{maxDocumentBytes=" + maxDocumentBytes + ", maxFields=" + maxFields + '}';
    }
}
