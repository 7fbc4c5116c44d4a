package dev.searchsync.cdc.dynamodb;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Item images survive the trip through DynamoDB JSON without losing a type or a digit. */
class DynamoDbJsonTest {
    @Test
    void everyAttributeTypeRoundTrips() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("s", AttributeValue.fromS("text with \"quotes\" and ünïcode"));
        item.put("n", AttributeValue.fromN("12345678901234567890123456789012345678"));
        item.put("small", AttributeValue.fromN("0.000000000000000000001"));
        item.put("big", AttributeValue.fromN("1E+30"));
        item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 0xff})));
        item.put("bool", AttributeValue.fromBool(false));
        item.put("null", AttributeValue.fromNul(true));
        item.put("m", AttributeValue.fromM(Map.of("inner", AttributeValue.fromN("-7"))));
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromS("a"), AttributeValue.fromN("1"))));
        item.put("ss", AttributeValue.fromSs(List.of("x", "y")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "2.5")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("p"), SdkBytes.fromUtf8String("q"))));

        String json = DynamoDbJson.write(item);

        assertThat(DynamoDbJson.read(json)).isEqualTo(item);
        assertThat(json).contains("\"n\":{\"N\":\"12345678901234567890123456789012345678\"}")
                .contains("\"b\":{\"B\":\"AAH/\"}")
                .contains("\"null\":{\"NULL\":true}");
    }

    @Test
    void nullStaysNull() {
        assertThat(DynamoDbJson.write(null)).isNull();
        assertThat(DynamoDbJson.read(null)).isNull();
    }

    @Test
    void unknownTypeIsNamed() {
        assertThatThrownBy(() -> DynamoDbJson.read("{\"a\":{\"X\":\"1\"}}"))
                .hasMessage("Unknown DynamoDB attribute type 'X'");
    }

    @Test
    void numbersKeepTheirTextEvenWhenWrittenAsJsonNumbers() {
        assertThat(DynamoDbJson.read("{\"a\":{\"N\":\"1.50\"},\"b\":{\"N\":1.50},\"c\":{\"NS\":[\"1E+3\", 0.10]}}"))
                .containsEntry("a", AttributeValue.fromN("1.50"))
                .containsEntry("b", AttributeValue.fromN("1.50"))
                .containsEntry("c", AttributeValue.fromNs(List.of("1E+3", "0.10")));
    }

    @Test
    void malformedTextIsRefusedWithWhatWasWrong() {
        assertThatThrownBy(() -> DynamoDbJson.read("{\"a\":{\"S\":\"x\",\"N\":\"1\"}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got a second: 'N'");
        assertThatThrownBy(() -> DynamoDbJson.read("{\"a\":{\"S\":\"x\"}} {}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got more after it");
        assertThatThrownBy(() -> DynamoDbJson.read("{\"a\":{\"L\":{}}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("an array after \"L\", got OBJECT");
        assertThatThrownBy(() -> DynamoDbJson.read("{\"a\":{\"S\":"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not DynamoDB JSON");
        assertThatThrownBy(() -> DynamoDbJson.read("{\"a\":{\"S\":null}}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Expected a text value, got null");
    }

    @Test
    void whatCannotBeWrittenIsNamedByItsPathBeforeAnyTextIsWritten() {
        DynamoDbJson.requireWritable(Map.of("a", AttributeValue.fromM(Map.of("b", AttributeValue.fromL(List.of(
                AttributeValue.fromSs(List.of("x")), AttributeValue.fromNul(true)))))));

        Map<String, AttributeValue> nullInMap = new LinkedHashMap<>();
        nullInMap.put("c", null);
        assertThatThrownBy(() -> DynamoDbJson.requireWritable(Map.of("a", AttributeValue.fromM(Map.of("b",
                AttributeValue.fromL(List.of(AttributeValue.fromS("ok"), AttributeValue.fromM(nullInMap))))))))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("attribute 'a.b[1].c' has no value");
        AttributeValue unknown = AttributeValue.builder().build();
        assertThatThrownBy(() -> DynamoDbJson.requireWritable(Map.of("u", unknown)))
                .hasMessage("attribute 'u' has a value of a type this SDK does not know: AttributeValue()");
        assertThatThrownBy(() -> DynamoDbJson.write(Map.of("u", unknown))).as("what the check spares a letter")
                .isInstanceOf(IllegalArgumentException.class);
    }
}
