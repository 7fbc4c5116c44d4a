package dev.searchsync.logs.cloudwatch;

import dev.searchsync.json.EmbeddedJson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A log message that is one JSON object, with the field paths and kinds an OpenSearch mapping would give it, so the
 * budget can decide before anything is written whether it may become fields or must stay text.
 */
final class JsonMessage {
    /** What a path is to a mapping. An array is no kind of its own: OpenSearch maps it as its elements. */
    enum Kind { OBJECT, STRING, NUMBER, BOOLEAN }

    private static final JsonFactory JSON = new JsonFactory();

    private final String text;
    private final Map<String, Kind> paths;
    private final int documentPaths;
    private final boolean conflicting;
    private final int depth;

    private JsonMessage(String text, Map<String, Kind> paths, int documentPaths, boolean conflicting, int depth) {
        this.text = text;
        this.paths = Collections.unmodifiableMap(paths);
        this.documentPaths = documentPaths;
        this.conflicting = conflicting;
        this.depth = depth;
    }

    /** {@code message} read as one JSON object; null when it is anything else (plain text, an array, broken JSON). */
    static JsonMessage parse(String message) {
        if (!startsLikeAnObject(message)) {
            return null;
        }
        try (JsonParser in = JSON.createParser(message)) {
            return new Walk(message).read(in);
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean startsLikeAnObject(String message) {
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{';
            }
        }
        return false;
    }

    /**
     * Mapping paths relative to the object (dotted names expanded into their objects, as OpenSearch does), each
     * with its kind; objects included, since they count towards the index's field limit too.
     */
    Map<String, Kind> paths() {
        return paths;
    }

    /** Distinct field paths as {@code validate.DocumentLimits} counts them (names taken whole, not split at dots). */
    int documentPaths() {
        return documentPaths;
    }

    /**
     * True when no mapping could hold it: one path has two kinds (an object here, a string there), or a field name
     * OpenSearch refuses (empty, or with an empty part between dots).
     */
    boolean conflicting() {
        return conflicting;
    }

    /** The most objects any value sits in, counted from this object (1 for a top-level field). */
    int depth() {
        return depth;
    }

    /** Writes the object at the generator's position, numbers with their exact text. */
    void writeTo(JsonGenerator out) throws IOException {
        try (JsonParser in = JSON.createParser(text)) {
            in.nextToken();
            EmbeddedJson.copyExact(in, out, Utf16::wellFormed);
        }
    }

    /** One pass over the message: its mapping paths and kinds, and the paths validation would count. */
    private static final class Walk {
        private final String text;
        private final Map<String, Kind> paths = new LinkedHashMap<>();
        private final Set<String> documentPaths = new HashSet<>();
        // For each open object or array: its mapping path, its path as validation counts it, whether an array.
        private final Deque<String> mappingPath = new ArrayDeque<>();
        private final Deque<String> documentPath = new ArrayDeque<>();
        private final Deque<Boolean> isArray = new ArrayDeque<>();
        private String fieldMappingPath = "";
        private String fieldDocumentPath = "";
        private boolean conflicting;
        private int depth;

        Walk(String text) {
            this.text = text;
        }

        JsonMessage read(JsonParser in) throws IOException {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            push("", "", false);
            while (!isArray.isEmpty()) {
                JsonToken token = in.nextToken();
                if (token == null) {
                    return null;
                }
                switch (token) {
                    case FIELD_NAME:
                        field(in.currentName());
                        break;
                    case START_OBJECT:
                        record(valuePath(), Kind.OBJECT);
                        push(valuePath(), valueDocumentPath(), false);
                        break;
                    case START_ARRAY:
                        push(valuePath(), valueDocumentPath(), true);
                        break;
                    case END_OBJECT:
                    case END_ARRAY:
                        mappingPath.pop();
                        documentPath.pop();
                        isArray.pop();
                        break;
                    case VALUE_STRING:
                        record(valuePath(), Kind.STRING);
                        break;
                    case VALUE_NUMBER_INT:
                    case VALUE_NUMBER_FLOAT:
                        record(valuePath(), Kind.NUMBER);
                        break;
                    case VALUE_TRUE:
                    case VALUE_FALSE:
                        record(valuePath(), Kind.BOOLEAN);
                        break;
                    default:
                        // null: OpenSearch maps nothing for it
                        break;
                }
            }
            if (in.nextToken() != null) {
                return null;
            }
            return new JsonMessage(text, paths, documentPaths.size(), conflicting, depth);
        }

        private void field(String name) {
            String parent = documentPath.peek();
            fieldDocumentPath = parent.isEmpty() ? name : parent + '.' + name;
            documentPaths.add(fieldDocumentPath);
            // OpenSearch reads a dotted name as objects: {"a.b": 1} maps a (object) and a.b.
            String[] parts = name.split("\\.", -1);
            String path = mappingPath.peek();
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].isBlank()) {
                    conflicting = true;
                }
                path = path.isEmpty() ? parts[i] : path + '.' + parts[i];
                if (i < parts.length - 1) {
                    record(path, Kind.OBJECT);
                }
            }
            fieldMappingPath = path;
        }

        /** Inside an array a value belongs to the array's field; elsewhere to the field just named. */
        private String valuePath() {
            return isArray.peek() ? mappingPath.peek() : fieldMappingPath;
        }

        private String valueDocumentPath() {
            return isArray.peek() ? documentPath.peek() : fieldDocumentPath;
        }

        private void push(String mapping, String document, boolean array) {
            mappingPath.push(mapping);
            documentPath.push(document);
            isArray.push(array);
        }

        private void record(String path, Kind kind) {
            Kind before = paths.putIfAbsent(path, kind);
            if (before != null && before != kind) {
                conflicting = true;
            }
            int pathDepth = 1;
            for (int i = 0; i < path.length(); i++) {
                if (path.charAt(i) == '.') {
                    pathDepth++;
                }
            }
            depth = Math.max(depth, pathDepth);
        }
    }
}
