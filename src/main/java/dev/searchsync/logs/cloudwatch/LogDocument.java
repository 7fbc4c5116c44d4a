package dev.searchsync.logs.cloudwatch;

import dev.searchsync.model.DocumentAction;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;

/**
 * The document of one log event, written once as UTF-8 JSON with its field paths counted on the way, so neither the
 * job nor validation parses it again. Everything the payload adds is under {@code @}-names, and a parsed message
 * under {@code @json}, so a log line can never overwrite or collide with them.
 */
final class LogDocument {
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper TREE = new ObjectMapper();
    /** Always with milliseconds, so that every document's {@code @timestamp} has the same shape. */
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final byte[] utf8;
    private final int fieldPaths;

    private LogDocument(byte[] utf8, int fieldPaths) {
        this.utf8 = utf8;
        this.fieldPaths = fieldPaths;
    }

    /** The document of {@code event}, with {@code jsonOrNull} under {@code @json} when the budget admitted it. */
    static LogDocument of(LogsPayload payload, LogEvent event, JsonMessage jsonOrNull) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(event.message().length() * 2 + 256);
        int paths = 0;
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("@timestamp", ISO_MILLIS.format(Instant.ofEpochMilli(event.timestamp())));
            out.writeStringField("@message", Utf16.wellFormed(event.message()));
            paths += 2;
            if (payload.owner() != null) {
                out.writeStringField("@owner", Utf16.wellFormed(payload.owner()));
                paths++;
            }
            out.writeStringField("@log_group", Utf16.wellFormed(payload.logGroup()));
            out.writeStringField("@log_stream", Utf16.wellFormed(payload.logStream()));
            out.writeStringField("@id", event.id());
            paths += 3;
            Map<String, String> fields = event.extractedFields();
            if (fields != null) {
                out.writeObjectFieldStart("@fields");
                for (Map.Entry<String, String> field : fields.entrySet()) {
                    out.writeFieldName(Utf16.wellFormed(field.getKey()));
                    if (field.getValue() == null) {
                        out.writeNull();
                    } else {
                        out.writeString(Utf16.wellFormed(field.getValue()));
                    }
                }
                out.writeEndObject();
                paths += 1 + fields.size();
            }
            if (jsonOrNull != null) {
                out.writeFieldName("@json");
                jsonOrNull.writeTo(out);
                paths += 1 + jsonOrNull.documentPaths();
            }
            out.writeEndObject();
        } catch (IOException e) {
            // Only a generator fault can get here: the output is memory.
            throw new UncheckedIOException(e);
        }
        return new LogDocument(bytes.toByteArray(), paths);
    }

    /**
     * What a log event's document does without when OpenSearch refuses it for its content: first the JSON parsed out
     * of its message (the cause every time but a filter pattern's odd field names), then its extracted fields. The
     * message, which holds both, stays; so does everything else, which the template maps to fixed types.
     */
    static Optional<DocumentAction> reduce(DocumentAction refused) {
        ObjectNode document;
        try {
            document = (ObjectNode) TREE.readTree(refused.getDocumentUtf8());
            if (document.remove("@json") == null && document.remove("@fields") == null) {
                return Optional.empty();
            }
            return Optional.of(refused.withDocument(TREE.writeValueAsBytes(document)));
        } catch (IOException | ClassCastException e) {
            // Not a document this class wrote (a redriven action edited by hand, say): nothing it knows to drop.
            return Optional.empty();
        }
    }

    byte[] utf8() {
        return utf8;
    }

    /** Distinct field paths, as {@code validate.DocumentLimits} would count them. */
    int fieldPaths() {
        return fieldPaths;
    }
}
