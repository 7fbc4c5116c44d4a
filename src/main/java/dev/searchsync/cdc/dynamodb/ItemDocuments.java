package dev.searchsync.cdc.dynamodb;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Renders a DynamoDB item as the JSON document OpenSearch indexes. Type-faithful: numbers keep their exact decimal
 * digits (a double would round 38-digit values), binaries become base64, sets become arrays. Deterministic:
 * object keys and set members are sorted, so the same item always gives the same text. Written once, counting the
 * document's field paths on the way, so nothing downstream parses it to measure it.
 */
public final class ItemDocuments {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Comparator<BigDecimal> NUMERIC =
            Comparator.<BigDecimal>naturalOrder().thenComparing(BigDecimal::toString);

    private ItemDocuments() {}

    /** A document as written: its UTF-8 JSON and its number of distinct field paths. */
    public static final class Rendered {
        private final byte[] utf8;
        private final int fieldPaths;

        Rendered(byte[] utf8, int fieldPaths) {
            this.utf8 = utf8;
            this.fieldPaths = fieldPaths;
        }

        /** The JSON object, UTF-8 encoded. */
        public byte[] utf8() {
            return utf8;
        }

        /**
         * Distinct dotted field paths, as a mapping would hold them (list elements share their attribute's path),
         * the way {@code validate.DocumentLimits.countFieldPaths} counts them in JSON text.
         */
        public int fieldPaths() {
            return fieldPaths;
        }
    }

    /** The whole item as a JSON object. */
    public static String toJson(Map<String, AttributeValue> item) {
        return toJson(item, Set.of(), Set.of());
    }

    /** {@link #render} as text, for tests and tools. */
    public static String toJson(Map<String, AttributeValue> item, Collection<String> include,
            Collection<String> exclude) {
        return new String(render(item, include, exclude).utf8(), StandardCharsets.UTF_8);
    }

    /**
     * The item as a JSON object, keeping only top-level attributes in {@code include} (all when it is empty) and
     * dropping those in {@code exclude}.
     *
     * @throws IllegalArgumentException naming the attribute when a value cannot be represented
     */
    public static Rendered render(Map<String, AttributeValue> item, Collection<String> include,
            Collection<String> exclude) {
        String[] kept = item.keySet().stream()
                .filter(name -> (include.isEmpty() || include.contains(name)) && !exclude.contains(name))
                .toArray(String[]::new);
        Set<String> fieldPaths = new HashSet<>();
        // Written as text, then encoded: Jackson's UTF-8 writer would escape each character outside the BMP as two
        // escaped UTF-16 halves, changing the text and its size in bytes.
        StringWriter text = new StringWriter(256);
        try (JsonGenerator out = JSON.createGenerator(text)) {
            writeObject("", "", item, kept, out, fieldPaths);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Rendered(text.toString().getBytes(StandardCharsets.UTF_8), fieldPaths.size());
    }

    /**
     * Writes the attributes {@code names} of {@code map}, sorted by name (the array is sorted in place).
     *
     * @param path where the object is, for messages (list elements by index)
     * @param field the object's field path as a mapping has it (list elements share their list's)
     */
    private static void writeObject(String path, String field, Map<String, AttributeValue> map, String[] names,
            JsonGenerator out, Set<String> fieldPaths) throws IOException {
        Arrays.sort(names);
        out.writeStartObject();
        for (String name : names) {
            out.writeFieldName(name);
            String child = field.isEmpty() ? name : field + "." + name;
            fieldPaths.add(child);
            // Outside lists the message path is the field path: build it once.
            String at = path.equals(field) ? child : path + "." + name;
            writeValue(at, child, map.get(name), out, fieldPaths);
        }
        out.writeEndObject();
    }

    private static void writeValue(String path, String field, AttributeValue value, JsonGenerator out,
            Set<String> fieldPaths) throws IOException {
        if (value == null) {
            throw new IllegalArgumentException("attribute '" + path + "' has no value");
        }
        switch (value.type()) {
            case S:
                out.writeString(value.s());
                break;
            case N:
                out.writeNumber(plainNumber(path, value.n()));
                break;
            case B:
                out.writeString(base64(value.b()));
                break;
            case BOOL:
                out.writeBoolean(value.bool());
                break;
            case NUL:
                out.writeNull();
                break;
            case M:
                writeObject(path, field, value.m(), value.m().keySet().toArray(new String[0]), out, fieldPaths);
                break;
            case L: {
                out.writeStartArray();
                List<AttributeValue> list = value.l();
                for (int i = 0; i < list.size(); i++) {
                    writeValue(path + "[" + i + "]", field, list.get(i), out, fieldPaths);
                }
                out.writeEndArray();
                break;
            }
            case SS: {
                List<String> strings = new ArrayList<>(value.ss());
                strings.sort(Comparator.naturalOrder());
                out.writeStartArray();
                for (String s : strings) {
                    out.writeString(s);
                }
                out.writeEndArray();
                break;
            }
            case NS: {
                List<BigDecimal> numbers = new ArrayList<>();
                for (String n : value.ns()) {
                    numbers.add(number(path, n));
                }
                numbers.sort(NUMERIC);
                out.writeStartArray();
                for (BigDecimal n : numbers) {
                    out.writeNumber(n.toPlainString());
                }
                out.writeEndArray();
                break;
            }
            case BS: {
                List<byte[]> binaries = new ArrayList<>();
                for (SdkBytes b : value.bs()) {
                    binaries.add(b.asByteArrayUnsafe());
                }
                binaries.sort(Arrays::compareUnsigned);
                out.writeStartArray();
                for (byte[] b : binaries) {
                    out.writeString(Base64.getEncoder().encodeToString(b));
                }
                out.writeEndArray();
                break;
            }
            default:
                throw new IllegalArgumentException("attribute '" + path + "' has no value of a known type: " + value);
        }
    }

    /**
     * The number in plain decimal digits. Most numbers already are (DynamoDB sends them so), and are written as they
     * came without a BigDecimal: a number was a tenth of a document's rendering.
     */
    private static String plainNumber(String path, String text) {
        return text != null && isPlainDecimal(text) ? text : number(path, text).toPlainString();
    }

    /**
     * True for text that {@code BigDecimal.toPlainString} would give back unchanged, and that lies within DynamoDB's
     * range: an optional minus (not on a zero: "-0" prints as "0"), integer digits without a leading zero, an optional
     * fraction, 40 characters at most.
     */
    static boolean isPlainDecimal(String text) {
        int length = text.length();
        if (length == 0 || length > 40) {
            return false;
        }
        int i = text.charAt(0) == '-' ? 1 : 0;
        int integerStart = i;
        while (i < length && isDigit(text.charAt(i))) {
            i++;
        }
        int integerDigits = i - integerStart;
        if (integerDigits == 0 || (integerDigits > 1 && text.charAt(integerStart) == '0')) {
            return false;
        }
        boolean nonZero = hasNonZero(text, integerStart, i);
        if (i < length) {
            if (text.charAt(i) != '.' || i == length - 1) {
                return false;
            }
            int fractionStart = ++i;
            while (i < length && isDigit(text.charAt(i))) {
                i++;
            }
            if (i < length) {
                return false;
            }
            nonZero |= hasNonZero(text, fractionStart, length);
        }
        return integerStart == 0 || nonZero;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean hasNonZero(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) != '0') {
                return true;
            }
        }
        return false;
    }

    private static BigDecimal number(String path, String text) {
        try {
            return DynamoNumbers.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("attribute '" + path + "': " + e.getMessage(), e);
        }
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }
}
