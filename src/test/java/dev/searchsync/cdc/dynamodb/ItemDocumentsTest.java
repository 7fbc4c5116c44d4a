package dev.searchsync.cdc.dynamodb;

import dev.searchsync.validate.DocumentLimits;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Documents carry every value exactly as DynamoDB holds it, and the same item always gives the same text. */
class ItemDocumentsTest {
    @Test
    void everyAttributeTypeHasItsJsonForm() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("s", AttributeValue.fromS("text \"quoted\""));
        item.put("n", AttributeValue.fromN("42"));
        item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2, (byte) 0xff})));
        item.put("bool", AttributeValue.fromBool(false));
        item.put("nul", AttributeValue.fromNul(true));
        item.put("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromS("x"))));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromS("two"),
                AttributeValue.fromBool(true), AttributeValue.fromNul(true),
                AttributeValue.fromL(List.of()))));
        item.put("ss", AttributeValue.fromSs(List.of("b", "a")));
        item.put("ns", AttributeValue.fromNs(List.of("2", "1")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromByteArray(new byte[] {2}),
                SdkBytes.fromByteArray(new byte[] {1}))));

        assertThat(ItemDocuments.toJson(item)).isEqualTo("{\"b\":\"AQL/\",\"bool\":false,\"bs\":[\"AQ==\",\"Ag==\"],"
                + "\"l\":[1,\"two\",true,null,[]],\"m\":{\"inner\":\"x\"},\"n\":42,\"ns\":[1,2],\"nul\":null,"
                + "\"s\":\"text \\\"quoted\\\"\",\"ss\":[\"a\",\"b\"]}");
    }

    @Test
    void numbersKeepTheirExactDigitsWithoutExponent() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("12345678901234567890123456789012345678", "12345678901234567890123456789012345678");
        expected.put("-12345678901234567890123456789012345678", "-12345678901234567890123456789012345678");
        expected.put("1E+30", "1000000000000000000000000000000");
        expected.put("0.000000000000000000001", "0.000000000000000000001");
        expected.put("1.50", "1.50");
        expected.put("-0.5", "-0.5");
        expected.put("0.12345678901234567890123456789012345678", "0.12345678901234567890123456789012345678");
        for (Map.Entry<String, String> number : expected.entrySet()) {
            String json = ItemDocuments.toJson(Map.of("n", AttributeValue.fromN(number.getKey())));
            assertThat(json).as(number.getKey()).isEqualTo("{\"n\":" + number.getValue() + "}");
            // And a JSON reader sees that very number, not a rounded double.
            JsonNode read = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(json);
            assertThat(read.get("n").decimalValue()).isEqualByComparingTo(new BigDecimal(number.getKey()));
        }
    }

    @Test
    void numberSetsAreSortedNumericallyAndWrittenExactly() {
        String json = ItemDocuments.toJson(Map.of("ns", AttributeValue.fromNs(
                List.of("10", "9", "-1E+2", "1.50", "0.000000000000000000001", "12345678901234567890123456789012345678"))));
        assertThat(json).isEqualTo("{\"ns\":[-100,0.000000000000000000001,1.50,9,10,"
                + "12345678901234567890123456789012345678]}");
    }

    @Test
    void stringSetsAreSorted() {
        assertThat(ItemDocuments.toJson(Map.of("ss", AttributeValue.fromSs(List.of("pear", "Apple", "apple", "10", "9")))))
                .isEqualTo("{\"ss\":[\"10\",\"9\",\"Apple\",\"apple\",\"pear\"]}");
    }

    @Test
    void binarySetsAreSortedByUnsignedBytes() {
        // Signed order would put 0x80 (-128) first.
        String json = ItemDocuments.toJson(Map.of("bs", AttributeValue.fromBs(List.of(
                SdkBytes.fromByteArray(new byte[] {(byte) 0x80}),
                SdkBytes.fromByteArray(new byte[] {0x01, 0x00}),
                SdkBytes.fromByteArray(new byte[] {0x01})))));
        assertThat(json).isEqualTo("{\"bs\":[\"AQ==\",\"AQA=\",\"gA==\"]}");
    }

    @Test
    void objectKeysAreSortedAtEveryLevel() {
        Map<String, AttributeValue> inner = new LinkedHashMap<>();
        inner.put("z", AttributeValue.fromN("1"));
        inner.put("a", AttributeValue.fromM(Map.of("y", AttributeValue.fromS("1"), "b", AttributeValue.fromS("2"))));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("zeta", AttributeValue.fromM(inner));
        item.put("alpha", AttributeValue.fromL(List.of(AttributeValue.fromM(inner))));
        assertThat(ItemDocuments.toJson(item)).isEqualTo("{\"alpha\":[{\"a\":{\"b\":\"2\",\"y\":\"1\"},\"z\":1}],"
                + "\"zeta\":{\"a\":{\"b\":\"2\",\"y\":\"1\"},\"z\":1}}");
    }

    @Test
    void includeKeepsOnlyTheNamedTopLevelAttributes() {
        Map<String, AttributeValue> item = Map.of("a", AttributeValue.fromS("1"), "b", AttributeValue.fromS("2"),
                "c", AttributeValue.fromM(Map.of("a", AttributeValue.fromS("nested"))));
        assertThat(ItemDocuments.toJson(item, Set.of("a", "c", "absent"), Set.of()))
                .isEqualTo("{\"a\":\"1\",\"c\":{\"a\":\"nested\"}}");
    }

    @Test
    void excludeDropsTheNamedTopLevelAttributes() {
        Map<String, AttributeValue> item = Map.of("a", AttributeValue.fromS("1"), "b", AttributeValue.fromS("2"),
                "c", AttributeValue.fromM(Map.of("b", AttributeValue.fromS("nested"))));
        assertThat(ItemDocuments.toJson(item, Set.of(), Set.of("b"))).isEqualTo("{\"a\":\"1\",\"c\":{\"b\":\"nested\"}}");
        assertThat(ItemDocuments.toJson(item, List.of("a", "b"), List.of("b"))).isEqualTo("{\"a\":\"1\"}");
    }

    @Test
    void sameItemInAnyOrderGivesTheSameText() {
        Map<String, AttributeValue> one = new LinkedHashMap<>();
        one.put("x", AttributeValue.fromSs(List.of("a", "b")));
        one.put("y", AttributeValue.fromNs(List.of("1", "2")));
        Map<String, AttributeValue> other = new LinkedHashMap<>();
        other.put("y", AttributeValue.fromNs(List.of("2", "1")));
        other.put("x", AttributeValue.fromSs(List.of("b", "a")));
        assertThat(ItemDocuments.toJson(one)).isEqualTo(ItemDocuments.toJson(other));
    }

    @Test
    void fieldPathsAreCountedWhileWritingAsValidationWouldCountThem() {
        AttributeValue line = AttributeValue.fromM(Map.of("sku", AttributeValue.fromS("k"),
                "qty", AttributeValue.fromN("2"), "tags", AttributeValue.fromSs(List.of("x", "y"))));
        AttributeValue other = AttributeValue.fromM(Map.of("sku", AttributeValue.fromS("j"),
                "note", AttributeValue.fromM(Map.of())));
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("id", AttributeValue.fromS("a"));
        item.put("lines", AttributeValue.fromL(List.of(line, other, AttributeValue.fromL(List.of(line)))));
        item.put("order", AttributeValue.fromM(Map.of("total", AttributeValue.fromN("1.50"),
                "lines", AttributeValue.fromL(List.of(other)))));
        // A top-level name with a dot is the same mapping path as a nested field: counted once.
        item.put("order.total", AttributeValue.fromN("3"));
        item.put("empty", AttributeValue.fromM(Map.of()));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2")));

        ItemDocuments.Rendered rendered = ItemDocuments.render(item, Set.of(), Set.of());

        assertThat(new String(rendered.utf8(), StandardCharsets.UTF_8)).isEqualTo(ItemDocuments.toJson(item));
        // id, lines, lines.sku, lines.qty, lines.tags, lines.note, order, order.total, order.lines,
        // order.lines.sku, order.lines.note, empty, ns
        assertThat(rendered.fieldPaths()).isEqualTo(13)
                .isEqualTo(DocumentLimits.countFieldPaths(rendered.utf8()));
        assertThat(ItemDocuments.render(Map.of(), Set.of(), Set.of()).fieldPaths()).isZero();
    }

    @Test
    void badNumberInsideAListOfMapsIsNamedWithItsPath() {
        Map<String, AttributeValue> item = Map.of("lines", AttributeValue.fromL(List.of(
                AttributeValue.fromM(Map.of("n", AttributeValue.fromN("1"))),
                AttributeValue.fromM(Map.of("n", AttributeValue.fromN("one"))))));
        assertThatThrownBy(() -> ItemDocuments.toJson(item))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute 'lines[1].n': 'one' is not a number");
    }

    @Test
    void badNumberIsNamedWithItsPath() {
        Map<String, AttributeValue> item = Map.of("order", AttributeValue.fromM(Map.of("lines",
                AttributeValue.fromL(List.of(AttributeValue.fromN("1"), AttributeValue.fromN("one"))))));
        assertThatThrownBy(() -> ItemDocuments.toJson(item))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute 'order.lines[1]': 'one' is not a number");
    }

    @Test
    void numberOutsideDynamoDbsRangeIsRefusedRatherThanWrittenOut() {
        assertThatThrownBy(() -> ItemDocuments.toJson(Map.of("n", AttributeValue.fromN("1E+999999999"))))
                .hasMessage("attribute 'n': '1E+999999999' is outside DynamoDB's number range"
                        + " (magnitudes from 1E-130 to below 1E+126)");
        assertThat(ItemDocuments.toJson(Map.of("n", AttributeValue.fromN("9.9999999999999999999999999999999999999E+125"))))
                .isEqualTo("{\"n\":99999999999999999999999999999999999999" + "0".repeat(88) + "}");
        assertThat(ItemDocuments.toJson(Map.of("n", AttributeValue.fromN("1E-130"))))
                .isEqualTo("{\"n\":0." + "0".repeat(129) + "1}");
    }

    @Test
    void attributeWithoutAValueIsNamed() {
        assertThatThrownBy(() -> ItemDocuments.toJson(Map.of("m", AttributeValue.fromM(
                Map.of("empty", AttributeValue.builder().build())))))
                .hasMessage("attribute 'm.empty' has no value of a known type: AttributeValue()");
    }

    @Test
    void numbersAlreadyInPlainDigitsAreWrittenAsTheyCame() {
        for (String plain : List.of("0", "7", "-3", "1.50", "0.001", "-0.5", "10.0", "0.0",
                "12345678901234567890123456789012345678", "-0.0000000000000000000000000000000000001")) {
            assertThat(ItemDocuments.isPlainDecimal(plain)).as(plain).isTrue();
            assertThat(new BigDecimal(plain).toPlainString()).as(plain).isEqualTo(plain);
        }
        for (String other : List.of("", "-", "-0", "-0.0", "007", "1.", ".5", "1e5", "1E+2", "+1", "1.2.3", "0x10",
                " 1", "1 ", "--1", "12345678901234567890123456789012345678901")) {
            assertThat(ItemDocuments.isPlainDecimal(other)).as(other).isFalse();
        }
    }

    @Test
    void theShortCutForPlainNumbersNeverDiffersFromBigDecimal() {
        java.util.Random random = new java.util.Random(15);
        String alphabet = "-0123456789.eE+";
        int plain = 0;
        for (int n = 0; n < 200_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int length = 1 + random.nextInt(8); length > 0; length--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String number = text.toString();
            if (ItemDocuments.isPlainDecimal(number)) {
                plain++;
                assertThat(new BigDecimal(number).toPlainString()).as(number).isEqualTo(number);
            }
        }
        assertThat(plain).as("plain numbers among the random texts").isGreaterThan(1_000);
    }
}
