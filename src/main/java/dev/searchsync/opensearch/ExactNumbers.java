package dev.searchsync.opensearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Carries decimal numbers through the OpenSearch client digit for digit.
 *
 * <p>The high-level client behind {@code Opensearch2Sink} re-encodes every document it puts in a bulk request,
 * and reads non-integer numbers as {@code double} while doing so: {@code 0.000000000000000000001} would reach
 * OpenSearch as {@code 1.0E-21} and a 38-digit decimal would lose digits. So before a document enters the
 * client, each non-integer number becomes a string {@code "\uE000#<digits>"} (strings survive re-encoding
 * exactly), and {@link ExactBulkHttpClient} turns those back into bare numbers in the bulk body on its way
 * out. A genuine string or field name that starts with {@code \uE000} is escaped by doubling that character.
 * Integers need none of this: the client keeps them exact.
 */
public final class ExactNumbers {
    /** U+E000, a private-use character: no DynamoDB string needs it, and any that has it is escaped. */
    static final char MARK = '\uE000';
    private static final byte[] MARK_UTF8 = String.valueOf(MARK).getBytes(StandardCharsets.UTF_8);
    private static final char NUMBER = '#';
    private static final JsonFactory JSON = new JsonFactory();

    private ExactNumbers() {}

    /** The document with its non-integer numbers protected, ready for an IndexRequest. */
    public static String protect(String json) {
        StringWriter out = new StringWriter(json.length() + 32);
        try (JsonParser parser = JSON.createParser(json); JsonGenerator generator = JSON.createGenerator(out)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case VALUE_NUMBER_FLOAT:
                        generator.writeString(MARK + String.valueOf(NUMBER) + parser.getText());
                        break;
                    case VALUE_STRING:
                        generator.writeString(escape(parser.getText()));
                        break;
                    case FIELD_NAME:
                        generator.writeFieldName(escape(parser.getCurrentName()));
                        break;
                    default:
                        generator.copyCurrentEvent(parser);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Not a JSON document: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /** The exact document again, from a protected one (for dead letters and messages). */
    public static String restore(String protectedJson) {
        return new String(restoreBytes(protectedJson.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /**
     * Restores every string of a protected document's UTF-8 text: {@code "\uE000#1.50"} becomes {@code 1.50} and a
     * doubled mark at the start of a string becomes a single one. Works on bytes because it runs on every bulk.
     */
    static byte[] restoreBytes(byte[] json) {
        if (indexOf(json, MARK_UTF8, 0) < 0) {
            return json;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
        int i = 0;
        while (i < json.length) {
            byte b = json[i];
            if (b == '"' && startsWith(json, i + 1, MARK_UTF8)) {
                int afterMark = i + 1 + MARK_UTF8.length;
                if (startsWith(json, afterMark, MARK_UTF8)) {
                    out.write('"');
                    i = afterMark; // drop one of the two marks
                    continue;
                }
                if (afterMark < json.length && json[afterMark] == NUMBER) {
                    int end = afterMark + 1;
                    while (end < json.length && isNumberByte(json[end])) {
                        end++;
                    }
                    if (end < json.length && json[end] == '"' && end > afterMark + 1) {
                        out.write(json, afterMark + 1, end - afterMark - 1);
                        i = end + 1;
                        continue;
                    }
                }
            }
            if (b == '\\' && i + 1 < json.length) {
                out.write(json, i, 2); // an escaped character never starts a string
                i += 2;
                continue;
            }
            out.write(b);
            i++;
        }
        return out.toByteArray();
    }

    private static String escape(String text) {
        return !text.isEmpty() && text.charAt(0) == MARK ? MARK + text : text;
    }

    private static boolean isNumberByte(byte b) {
        return (b >= '0' && b <= '9') || b == '-' || b == '+' || b == '.' || b == 'e' || b == 'E';
    }

    private static boolean startsWith(byte[] bytes, int at, byte[] prefix) {
        if (at + prefix.length > bytes.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (bytes[at + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] bytes, byte[] needle, int from) {
        for (int i = from; i <= bytes.length - needle.length; i++) {
            if (startsWith(bytes, i, needle)) {
                return i;
            }
        }
        return -1;
    }
}
