package dev.searchsync.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;

/**
 * JSON text held in a string field (a document, an item image) written into an envelope as JSON, not as a string
 * holding JSON, so {@code jq} reaches into it; and read back to the same text. Numbers keep their text exactly:
 * Jackson's own copying would parse them, and a decimal of 20 digits or a long past 2^53 would come back changed.
 * Text that is not one JSON object or array is embedded as a string.
 */
public final class EmbeddedJson {
    private static final JsonFactory JSON = new JsonFactory();

    private EmbeddedJson() {}

    /** Writes {@code json} at the generator's position: as JSON when it is one object or array, else as a string. */
    public static void write(JsonGenerator out, String json) throws IOException {
        if (json == null) {
            out.writeNull();
            return;
        }
        String copy = compactCopy(json);
        if (copy == null) {
            out.writeString(json);
        } else {
            out.writeRawValue(copy);
        }
    }

    /** The value at the parser's current token as JSON text: a structure re-written compactly, a string as its text. */
    public static String read(JsonParser in) throws IOException {
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            StringWriter text = new StringWriter(256);
            try (JsonGenerator out = JSON.createGenerator(text)) {
                copyExact(in, out, UnaryOperator.identity());
            }
            return text.toString();
        }
        return in.getText();
    }

    /** The JSON object or array {@code json} holds, re-written compactly with number text untouched; else null. */
    public static String compactCopy(String json) {
        StringWriter text = new StringWriter(json.length());
        try (JsonParser in = JSON.createParser(json); JsonGenerator out = JSON.createGenerator(text)) {
            JsonToken first = in.nextToken();
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                return null;
            }
            copyExact(in, out, UnaryOperator.identity());
            if (in.nextToken() != null) {
                return null;
            }
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * Copies the value starting at the parser's current token; numbers are written with their exact text (Jackson's
     * own copy would go through a double: 20 digits would come back changed), and field names and strings through
     * {@code text}.
     */
    public static void copyExact(JsonParser in, JsonGenerator out, UnaryOperator<String> text) throws IOException {
        int depth = 0;
        JsonToken token = in.currentToken();
        while (true) {
            switch (token) {
                case START_OBJECT:
                    out.writeStartObject();
                    depth++;
                    break;
                case START_ARRAY:
                    out.writeStartArray();
                    depth++;
                    break;
                case END_OBJECT:
                    out.writeEndObject();
                    depth--;
                    break;
                case END_ARRAY:
                    out.writeEndArray();
                    depth--;
                    break;
                case FIELD_NAME:
                    out.writeFieldName(text.apply(in.currentName()));
                    break;
                case VALUE_STRING:
                    out.writeString(text.apply(in.getText()));
                    break;
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    out.writeNumber(in.getText());
                    break;
                case VALUE_TRUE:
                    out.writeBoolean(true);
                    break;
                case VALUE_FALSE:
                    out.writeBoolean(false);
                    break;
                case VALUE_NULL:
                    out.writeNull();
                    break;
                default:
                    throw new IllegalStateException("Unexpected JSON token " + token);
            }
            if (depth == 0) {
                return;
            }
            token = in.nextToken();
            if (token == null) {
                throw new IllegalStateException("JSON ended inside a structure");
            }
        }
    }

    /** For a string property holding JSON text: {@code @JsonSerialize(using = EmbeddedJson.Serializer.class)}. */
    public static final class Serializer extends JsonSerializer<String> {
        @Override
        public void serialize(String value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            write(gen, value);
        }
    }

    /** The reading side of {@link Serializer}. */
    public static final class Deserializer extends JsonDeserializer<String> {
        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return read(p);
        }

        @Override
        public String getNullValue(DeserializationContext ctxt) {
            return null;
        }
    }
}
