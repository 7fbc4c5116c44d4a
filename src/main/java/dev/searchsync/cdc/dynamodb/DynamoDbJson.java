package dev.searchsync.cdc.dynamodb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB's typed JSON (<code>{"name": {"S": "x"}, "n": {"N": "1.50"}}</code>), the form DynamoDB itself uses
 * for exports and stream payloads. Lossless both ways: numbers stay decimal text, binaries are base64.
 */
public final class DynamoDbJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private DynamoDbJson() {}

    /** Renders an item (or key) map; null stays null. */
    public static String write(Map<String, AttributeValue> item) {
        if (item == null) {
            return null;
        }
        StringWriter text = new StringWriter(256);
        try (JsonGenerator out = FACTORY.createGenerator(text)) {
            writeItem(item, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * Checks that {@link #write} can write {@code item}, without writing it: every name and value present, every value
     * of a known type. An item from the SDK fails only when DynamoDB sent a type this SDK does not know.
     *
     * @throws IllegalArgumentException naming the first attribute that cannot be written
     */
    public static void requireWritable(Map<String, AttributeValue> item) {
        if (!writable(item)) {
            // Only now are the attribute paths built, to name the one that failed.
            throw new IllegalArgumentException(problemIn(null, item));
        }
    }

    private static boolean writable(Map<String, AttributeValue> item) {
        for (Map.Entry<String, AttributeValue> entry : item.entrySet()) {
            if (entry.getKey() == null || !writable(entry.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean writable(AttributeValue value) {
        if (value == null) {
            return false;
        }
        switch (value.type()) {
            case S:
            case N:
            case B:
            case BOOL:
            case NUL:
                return true;
            case M:
                return writable(value.m());
            case L:
                for (AttributeValue element : value.l()) {
                    if (!writable(element)) {
                        return false;
                    }
                }
                return true;
            case SS:
                return !hasNull(value.ss());
            case NS:
                return !hasNull(value.ns());
            case BS:
                return !hasNull(value.bs());
            default:
                return false;
        }
    }

    private static boolean hasNull(List<?> members) {
        for (Object member : members) {
            if (member == null) {
                return true;
            }
        }
        return false;
    }

    /** What is wrong in {@code item}, which is not {@link #writable}, at {@code path} (null for the whole item). */
    private static String problemIn(String path, Map<String, AttributeValue> item) {
        for (Map.Entry<String, AttributeValue> entry : item.entrySet()) {
            if (entry.getKey() == null) {
                return (path == null ? "the item" : "attribute '" + path + "'") + " has an attribute without a name";
            }
            if (!writable(entry.getValue())) {
                return problem(path == null ? entry.getKey() : path + "." + entry.getKey(), entry.getValue());
            }
        }
        return "it cannot be written";
    }

    /** What is wrong in {@code value}, which is not {@link #writable}, at {@code path}. */
    private static String problem(String path, AttributeValue value) {
        String at = "attribute '" + path + "'";
        if (value == null) {
            return at + " has no value";
        }
        switch (value.type()) {
            case M:
                return problemIn(path, value.m());
            case L:
                for (int i = 0; i < value.l().size(); i++) {
                    if (!writable(value.l().get(i))) {
                        return problem(path + "[" + i + "]", value.l().get(i));
                    }
                }
                break;
            case SS:
            case NS:
            case BS:
                return at + " is a set with a member without a value";
            default:
                return at + " has a value of a type this SDK does not know: " + value;
        }
        return at + " cannot be written";
    }

    /**
     * Parses an item (or key) map; null stays null. One streaming pass, no tree: a change redriven from a dead letter,
     * or one that crossed an operator edge, is read back with it.
     */
    public static Map<String, AttributeValue> read(String json) {
        if (json == null) {
            return null;
        }
        try (JsonParser in = FACTORY.createParser(json)) {
            Map<String, AttributeValue> item = readItem(in, in.nextToken());
            if (in.nextToken() != null) {
                throw new IllegalArgumentException("Expected one DynamoDB JSON object, got more after it");
            }
            return item;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not DynamoDB JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeItem(Map<String, AttributeValue> item, JsonGenerator out) throws IOException {
        out.writeStartObject();
        for (Map.Entry<String, AttributeValue> entry : item.entrySet()) {
            out.writeFieldName(entry.getKey());
            writeValue(entry.getValue(), out);
        }
        out.writeEndObject();
    }

    private static void writeValue(AttributeValue value, JsonGenerator out) throws IOException {
        out.writeStartObject();
        switch (value.type()) {
            case S:
                out.writeStringField("S", value.s());
                break;
            case N:
                out.writeStringField("N", value.n());
                break;
            case B:
                out.writeStringField("B", base64(value.b()));
                break;
            case BOOL:
                out.writeBooleanField("BOOL", value.bool());
                break;
            case NUL:
                out.writeBooleanField("NULL", true);
                break;
            case M:
                out.writeFieldName("M");
                writeItem(value.m(), out);
                break;
            case L:
                out.writeArrayFieldStart("L");
                for (AttributeValue element : value.l()) {
                    writeValue(element, out);
                }
                out.writeEndArray();
                break;
            case SS:
                writeStrings("SS", value.ss(), out);
                break;
            case NS:
                writeStrings("NS", value.ns(), out);
                break;
            case BS:
                out.writeArrayFieldStart("BS");
                for (SdkBytes bytes : value.bs()) {
                    out.writeString(base64(bytes));
                }
                out.writeEndArray();
                break;
            default:
                throw new IllegalArgumentException("Unknown DynamoDB attribute type in " + value);
        }
        out.writeEndObject();
    }

    private static void writeStrings(String type, List<String> values, JsonGenerator out) throws IOException {
        out.writeArrayFieldStart(type);
        for (String value : values) {
            out.writeString(value);
        }
        out.writeEndArray();
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }

    /** The object starting at {@code token} (the parser on it), read up to its end. */
    private static Map<String, AttributeValue> readItem(JsonParser in, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            throw new IllegalArgumentException("Expected a DynamoDB JSON object, got " + describe(in, token));
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.getCurrentName();
            item.put(name, readValue(in, in.nextToken()));
        }
        return item;
    }

    /** {@code {"<type>": value}} starting at {@code token}, read up to its closing brace. */
    private static AttributeValue readValue(JsonParser in, JsonToken token) throws IOException {
        if (token != JsonToken.START_OBJECT || in.nextToken() != JsonToken.FIELD_NAME) {
            throw new IllegalArgumentException("Expected {\"<type>\": value}, got " + describe(in, in.currentToken()));
        }
        String type = in.getCurrentName();
        JsonToken value = in.nextToken();
        AttributeValue out;
        switch (type) {
            case "S":
                out = AttributeValue.fromS(scalar(in, value));
                break;
            case "N":
                out = AttributeValue.fromN(scalar(in, value));
                break;
            case "B":
                out = AttributeValue.fromB(binary(scalar(in, value)));
                break;
            case "BOOL":
                out = AttributeValue.fromBool(in.getValueAsBoolean());
                break;
            case "NULL":
                out = AttributeValue.fromNul(true);
                break;
            case "M":
                out = AttributeValue.fromM(readItem(in, value));
                break;
            case "L": {
                expectArray(in, value, type);
                List<AttributeValue> list = new ArrayList<>();
                for (JsonToken element = in.nextToken(); element != JsonToken.END_ARRAY; element = in.nextToken()) {
                    list.add(readValue(in, element));
                }
                out = AttributeValue.fromL(list);
                break;
            }
            case "SS":
                out = AttributeValue.fromSs(texts(in, value, type));
                break;
            case "NS":
                out = AttributeValue.fromNs(texts(in, value, type));
                break;
            case "BS": {
                List<SdkBytes> list = new ArrayList<>();
                for (String text : texts(in, value, type)) {
                    list.add(binary(text));
                }
                out = AttributeValue.fromBs(list);
                break;
            }
            default:
                throw new IllegalArgumentException("Unknown DynamoDB attribute type '" + type + "'");
        }
        if (in.nextToken() != JsonToken.END_OBJECT) {
            throw new IllegalArgumentException("Expected {\"<type>\": value} with one type, got a second: '"
                    + in.getCurrentName() + "'");
        }
        return out;
    }

    private static String scalar(JsonParser in, JsonToken token) throws IOException {
        if (!token.isScalarValue() || token == JsonToken.VALUE_NULL) {
            throw new IllegalArgumentException("Expected a text value, got " + describe(in, token));
        }
        return in.getText();
    }

    private static List<String> texts(JsonParser in, JsonToken token, String type) throws IOException {
        expectArray(in, token, type);
        List<String> list = new ArrayList<>();
        for (JsonToken element = in.nextToken(); element != JsonToken.END_ARRAY; element = in.nextToken()) {
            list.add(scalar(in, element));
        }
        return list;
    }

    private static void expectArray(JsonParser in, JsonToken token, String type) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw new IllegalArgumentException("Expected an array after \"" + type + "\", got " + describe(in, token));
        }
    }

    private static SdkBytes binary(String base64) {
        return SdkBytes.fromByteArray(Base64.getDecoder().decode(base64));
    }

    /** The token as an error message names it: the kind of a container, a scalar's own JSON text. */
    private static String describe(JsonParser in, JsonToken token) throws IOException {
        if (token == null) {
            return "the end of the text";
        }
        switch (token) {
            case START_OBJECT:
            case END_OBJECT:
                return "OBJECT";
            case START_ARRAY:
            case END_ARRAY:
                return "ARRAY";
            case VALUE_STRING:
                return '"' + in.getText() + '"';
            default:
                return in.getText();
        }
    }
}
