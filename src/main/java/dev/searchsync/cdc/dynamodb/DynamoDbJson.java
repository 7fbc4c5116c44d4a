package dev.searchsync.cdc.dynamodb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB's typed JSON (<code>{"name": {"S": "x"}, "n": {"N": "1.50"}}</code>), the form DynamoDB itself uses
 * for exports and stream payloads. Lossless both ways: numbers stay decimal text, binaries are base64.
 */
public final class DynamoDbJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

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

    /** Parses an item (or key) map; null stays null. */
    public static Map<String, AttributeValue> read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return readItem(MAPPER.readTree(json));
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

    private static Map<String, AttributeValue> readItem(JsonNode node) {
        if (!node.isObject()) {
            throw new IllegalArgumentException("Expected a DynamoDB JSON object, got " + node.getNodeType());
        }
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            item.put(entry.getKey(), readValue(entry.getValue()));
        }
        return item;
    }

    private static AttributeValue readValue(JsonNode node) {
        if (!node.isObject() || node.size() != 1) {
            throw new IllegalArgumentException("Expected {\"<type>\": value}, got " + node);
        }
        Map.Entry<String, JsonNode> typed = node.fields().next();
        JsonNode value = typed.getValue();
        switch (typed.getKey()) {
            case "S":
                return AttributeValue.fromS(value.asText());
            case "N":
                return AttributeValue.fromN(value.asText());
            case "B":
                return AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(value.asText())));
            case "BOOL":
                return AttributeValue.fromBool(value.asBoolean());
            case "NULL":
                return AttributeValue.fromNul(true);
            case "M":
                return AttributeValue.fromM(readItem(value));
            case "L": {
                List<AttributeValue> list = new ArrayList<>();
                value.forEach(element -> list.add(readValue(element)));
                return AttributeValue.fromL(list);
            }
            case "SS":
                return AttributeValue.fromSs(texts(value));
            case "NS":
                return AttributeValue.fromNs(texts(value));
            case "BS": {
                List<SdkBytes> list = new ArrayList<>();
                value.forEach(element -> list.add(SdkBytes.fromByteArray(Base64.getDecoder().decode(element.asText()))));
                return AttributeValue.fromBs(list);
            }
            default:
                throw new IllegalArgumentException("Unknown DynamoDB attribute type '" + typed.getKey() + "'");
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> list = new ArrayList<>();
        array.forEach(element -> list.add(element.asText()));
        return list;
    }
}
