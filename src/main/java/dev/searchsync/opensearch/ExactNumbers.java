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
 * <p>The high-level client behind {@code Opensearch2Sink} never copies a document into a bulk body as it is given:
 * {@code RequestConverters.bulk} (opensearch-rest-high-level-client 2.13.0, reached from
 * {@code RestHighLevelClient.bulkAsync}) parses the source of every {@code index} and {@code create} action with
 * {@code XContentHelper.createParser} and writes it again with {@code XContentBuilder.copyCurrentStructure}, for any
 * content type, JSON included. That ends in Jackson's {@code JsonGenerator.copyCurrentStructure}, which writes each
 * non-integer number as the {@code double} the parser read: {@code 0.000000000000000000001} would reach OpenSearch
 * as {@code 1.0E-21} and a 38-digit decimal would lose digits. Integers, strings and the rest come out equal. So a
 * document that holds a non-integer number is {@link #protect protected} before it enters the client: each such
 * number becomes a string {@code "\uE000#<digits>"} (strings survive re-encoding exactly), and
 * {@link ExactBulkHttpClient} turns those back into bare numbers in the bulk body on its way out. A genuine string or
 * field name that starts with {@code \uE000} is escaped by doubling that character. A document with neither (see
 * {@link #needsProtection}) goes to the client as the input built it.
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
        return new String(protect(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    /** The UTF-8 document as the client must get it: protected when it {@link #needsProtection needs it}, else itself. */
    static byte[] forClient(byte[] json) {
        return needsProtection(json) ? protect(json) : json;
    }

    /**
     * Whether the client's re-encoding could change the UTF-8 JSON {@code json}, or the restoring misread it: whether
     * it holds a non-integer number (a {@code .}, or an exponent after a digit, outside strings), or the mark, raw or
     * as an escape, anywhere. One pass over the bytes, no parsing: most documents need nothing more.
     */
    static boolean needsProtection(byte[] json) {
        boolean inString = false;
        byte previous = 0;
        for (int i = 0; i < json.length; i++) {
            byte b = json[i];
            if (inString) {
                if (b == '"') {
                    inString = false;
                } else if (b == '\\') {
                    if (isEscapedMark(json, i + 1)) {
                        return true; // the client's parser decodes it, so it would reach the restorer as a mark
                    }
                    i++; // the escaped character, which may be a quote
                } else if (b == MARK_UTF8[0] && startsWith(json, i, MARK_UTF8)) {
                    return true;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == '.' || ((b == 'e' || b == 'E') && previous >= '0' && previous <= '9')) {
                return true; // outside strings an "e" after a digit is an exponent; in true and false it is not
            }
            previous = b;
        }
        return false;
    }

    /** Whether {@code json} holds the escape of the mark (u followed by E000, any case) from {@code at} on. */
    private static boolean isEscapedMark(byte[] json, int at) {
        return at + 4 < json.length && json[at] == 'u' && (json[at + 1] | 0x20) == 'e' && json[at + 2] == '0'
                && json[at + 3] == '0' && json[at + 4] == '0';
    }

    /** The UTF-8 document with its non-integer numbers protected. */
    static byte[] protect(byte[] json) {
        // Written as text, then encoded, as the input wrote the document: Jackson's UTF-8 writer would escape each
        // character outside the BMP, and the bulk's size would count those escapes.
        StringWriter out = new StringWriter(json.length + 32);
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
        return out.toString().getBytes(StandardCharsets.UTF_8);
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
        return out.toString().getBytes(StandardCharsets.UTF_8);
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
