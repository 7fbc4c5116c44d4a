package dev.searchsync.events;

import dev.searchsync.config.RecordFormat;
import dev.searchsync.model.UndecodableRecordException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import static dev.searchsync.events.KplRecords.concat;
import static dev.searchsync.events.KplRecords.gzip;
import static dev.searchsync.events.KplRecords.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Records that are not aggregated: each format, gzip, exact numbers, and the records that must become dead letters. */
class RecordDecoderTest {
    private static final int LIMIT = 1 << 20;
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    @ParameterizedTest
    @EnumSource(value = RecordFormat.class, names = {"AUTO", "JSON", "NDJSON"})
    void aSingleObjectIsOneEventAtPositionZero(RecordFormat format) throws Exception {
        List<DecodedEvent> events = decode(format, " \n\t{\"a\": 1, \"b\": [true, null]}\r\n ");

        assertThat(summary(events)).containsExactly("0/0/0 {\"a\": 1, \"b\": [true, null]}");
        DecodedEvent event = events.get(0);
        assertThat(event.partitionKey()).isNull();
        assertThat(event.json().get("a").intValue()).isEqualTo(1);
        assertThat(event.json().get("b").get(0).booleanValue()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = RecordFormat.class, names = {"AUTO", "NDJSON"})
    void newlineDelimitedObjectsWithBlankLinesAndCrlfAndATrailingNewline(RecordFormat format) throws Exception {
        String text = "{\"n\":0}\r\n\r\n  {\"n\": 1 }\n\n\n{\"n\":2}\n";

        assertThat(summary(decode(format, text)))
                .containsExactly("0/0/0 {\"n\":0}", "0/1/1 {\"n\": 1 }", "0/2/2 {\"n\":2}");
    }

    @ParameterizedTest
    @EnumSource(value = RecordFormat.class, names = {"AUTO", "NDJSON"})
    void newlineDelimitedObjectsWithoutATrailingNewline(RecordFormat format) throws Exception {
        assertThat(summary(decode(format, "{\"n\":0}\n{\"n\":1}")))
                .containsExactly("0/0/0 {\"n\":0}", "0/1/1 {\"n\":1}");
    }

    @ParameterizedTest
    @EnumSource(value = RecordFormat.class, names = {"AUTO", "NDJSON"})
    void concatenatedObjectsWithoutAnySeparator(RecordFormat format) throws Exception {
        assertThat(summary(decode(format, "{\"n\":0}{\"n\":{\"m\":1}}{}")))
                .containsExactly("0/0/0 {\"n\":0}", "0/1/1 {\"n\":{\"m\":1}}", "0/2/2 {}");
    }

    @ParameterizedTest
    @EnumSource(value = RecordFormat.class, names = {"AUTO", "JSON_ARRAY"})
    void anArrayOfObjectsIsOneEventPerElement(RecordFormat format) throws Exception {
        String text = "\n[ {\"n\":0} ,\n  {\"n\": [1, {\"x\":2}]},{}\n]\n";

        assertThat(summary(decode(format, text)))
                .containsExactly("0/0/0 {\"n\":0}", "0/1/1 {\"n\": [1, {\"x\":2}]}", "0/2/2 {}");
    }

    @ParameterizedTest
    @EnumSource(value = RecordFormat.class, names = {"AUTO", "JSON_ARRAY"})
    void anEmptyArrayHoldsNoEvent(RecordFormat format) throws Exception {
        assertThat(decode(format, " [ ] \n")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = RecordFormat.class, names = {"AUTO", "NDJSON"})
    void emptyOrBlankDataHoldsNoEvent(RecordFormat format) throws Exception {
        assertThat(decode(format, "")).isEmpty();
        assertThat(decode(format, " \r\n\t\n")).isEmpty();
        assertThat(decoder(format).decode(BOM)).isEmpty();
        assertThat(decoder(format).decode(gzip(""))).isEmpty();
    }

    @Test
    void emptyDataIsAnErrorWhereTheFormatPromisesAValue() {
        assertThatThrownBy(() -> decode(RecordFormat.JSON, " \n"))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("format JSON expects one object, but the data is empty");
        assertThatThrownBy(() -> decode(RecordFormat.JSON_ARRAY, ""))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("format JSON_ARRAY expects one array of objects, but the data is empty");
    }

    @ParameterizedTest
    @EnumSource(RecordFormat.class)
    void gzipDataDecodesLikeThePlainData(RecordFormat format) throws Exception {
        String text = format == RecordFormat.JSON ? "{\"n\":0}\n"
                : format == RecordFormat.JSON_ARRAY ? "[{\"n\":0},{\"n\":1}]" : "{\"n\":0}\n{\"n\":1}\n";

        List<String> plain = summary(decode(format, text));
        assertThat(plain).isNotEmpty();
        assertThat(summary(decoder(format).decode(gzip(text)))).isEqualTo(plain);
    }

    @Test
    void concatenatedGzipMembersAreOneStream() throws Exception {
        byte[] data = concat(gzip("{\"n\":0}\n"), gzip("{\"n\":1}\n"), gzip("{\"n\":2}"));

        assertThat(summary(decoder(RecordFormat.NDJSON).decode(data)))
                .containsExactly("0/0/0 {\"n\":0}", "0/1/1 {\"n\":1}", "0/2/2 {\"n\":2}");
    }

    @Test
    void numbersKeepTheirExactTextAndValue() throws Exception {
        String object = "{\"price\":1.10,\"big\":12345678901234567890123,\"huge\":1e400,\"tiny\":-0.000000000000000000001}";

        for (String text : List.of(object, "[" + object + "]", "{}\n" + object + "\n")) {
            List<DecodedEvent> events = decode(RecordFormat.AUTO, text);
            DecodedEvent event = events.get(events.size() - 1);
            assertThat(event.documentUtf8()).isEqualTo(utf8(object));
            assertThat(event.json().get("price").decimalValue()).isEqualByComparingTo("1.10");
            assertThat(event.json().get("price").decimalValue().scale()).isEqualTo(2);
            assertThat(event.json().get("big").bigIntegerValue())
                    .isEqualTo(new BigInteger("12345678901234567890123"));
            assertThat(event.json().get("huge").decimalValue()).isEqualTo(new BigDecimal("1e400"));
            assertThat(event.json().get("tiny").decimalValue()).isEqualTo(new BigDecimal("-1e-21"));
        }
    }

    @Test
    void unicodeTextIsKeptByteForByte() throws Exception {
        String object = "{\"name\":\"Zoë 😀 日本\",\"escaped\":\"\\u00e9\\n\"}";

        DecodedEvent event = decode(RecordFormat.AUTO, "[" + object + "," + object + "]").get(1);

        assertThat(event.documentUtf8()).isEqualTo(utf8(object));
        assertThat(event.json().get("name").textValue()).isEqualTo("Zoë 😀 日本");
        assertThat(event.json().get("escaped").textValue()).isEqualTo("é\n");
    }

    @Test
    void aUtf8ByteOrderMarkIsSkippedAndNotPartOfTheDocument() throws Exception {
        byte[] object = concat(BOM, utf8("{\"a\":\"ü\"}"));
        byte[] ndjson = concat(BOM, utf8("{\"n\":0}\n{\"n\":1}"));

        assertThat(summary(decoder(RecordFormat.JSON).decode(object))).containsExactly("0/0/0 {\"a\":\"ü\"}");
        assertThat(summary(decoder(RecordFormat.AUTO).decode(gzip(object)))).containsExactly("0/0/0 {\"a\":\"ü\"}");
        assertThat(summary(decoder(RecordFormat.NDJSON).decode(ndjson)))
                .containsExactly("0/0/0 {\"n\":0}", "0/1/1 {\"n\":1}");
    }

    @Test
    void invalidJsonNamesTheEventPositionAndOffsetButNoValue() {
        assertThatThrownBy(() -> decode(RecordFormat.NDJSON, "{\"a\":1}\n{\"b\":secret}\n{\"c\":3}"))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("event at position 1: invalid JSON at byte offset 20");
        assertThatThrownBy(() -> decode(RecordFormat.AUTO, "[{\"a\":1},{\"b\":\"secret\"]"))
                .hasMessage("event at position 1: invalid JSON at byte offset 22");
        assertThatThrownBy(() -> decode(RecordFormat.JSON, "{\"a\":\"secret"))
                .hasMessageStartingWith("event at position 0: invalid JSON at byte offset ")
                .hasMessageNotContaining("secret");
    }

    @Test
    void trailingGarbageIsAnError() {
        assertThatThrownBy(() -> decode(RecordFormat.NDJSON, "{\"a\":1}\nsecret"))
                .hasMessage("event at position 1: invalid JSON at byte offset 14");
        assertThatThrownBy(() -> decode(RecordFormat.AUTO, "[{\"a\":1}] secret"))
                .hasMessage("the data after the array: invalid JSON at byte offset 16");
        assertThatThrownBy(() -> decode(RecordFormat.JSON_ARRAY, "[{\"a\":1}] {}"))
                .hasMessage("the data goes on after the array at byte offset 10");
        assertThatThrownBy(() -> decode(RecordFormat.JSON, "{\"a\":1} secret"))
                .hasMessage("the data after the object: invalid JSON at byte offset 14");
    }

    @Test
    void anEventThatIsNotAnObjectIsAnError() {
        assertThatThrownBy(() -> decode(RecordFormat.NDJSON, "{\"a\":1}\n42"))
                .hasMessage("event at position 1 at byte offset 8 is a number, not a JSON object");
        assertThatThrownBy(() -> decode(RecordFormat.AUTO, "\"secret\""))
                .hasMessage("event at position 0 at byte offset 0 is a string, not a JSON object");
        assertThatThrownBy(() -> decode(RecordFormat.AUTO, "[{}, [{\"a\":1}]]"))
                .hasMessage("event at position 1 at byte offset 5 is an array, not a JSON object");
        assertThatThrownBy(() -> decode(RecordFormat.AUTO, "{}\n[{}]"))
                .hasMessage("event at position 1 at byte offset 3 is an array, not a JSON object");
        assertThatThrownBy(() -> decode(RecordFormat.JSON_ARRAY, "[{}, null]"))
                .hasMessage("event at position 1 at byte offset 5 is null, not a JSON object");
        assertThatThrownBy(() -> decode(RecordFormat.JSON, "true"))
                .hasMessage("event at position 0 at byte offset 0 is a boolean, not a JSON object");
        assertThatThrownBy(() -> decode(RecordFormat.JSON, "[{}]"))
                .hasMessage("event at position 0 at byte offset 0 is an array, not a JSON object");
    }

    @Test
    void formatJsonRefusesASecondObject() {
        assertThatThrownBy(() -> decode(RecordFormat.JSON, "{\"a\":1}\n{\"a\":2}"))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("format JSON expects exactly one object, but the data goes on after it at byte offset 8");
    }

    @Test
    void formatJsonArrayRefusesAnObject() {
        assertThatThrownBy(() -> decode(RecordFormat.JSON_ARRAY, " {\"a\":1}"))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("format JSON_ARRAY expects one array of objects, but the data starts with an object "
                        + "at byte offset 1");
    }

    @Test
    void truncatedOrCorruptGzipIsAnError() {
        byte[] whole = gzip("{\"a\":1}\n{\"a\":2}\n");
        byte[] truncated = Arrays.copyOf(whole, whole.length - 12);
        byte[] corrupt = whole.clone();
        corrupt[12] ^= 0x55;

        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(truncated))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageStartingWith("gzip data cannot be decompressed: ");
        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(corrupt))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageStartingWith("gzip data cannot be decompressed: ");
    }

    @Test
    void gzipDataMayDecompressToTheLimitAndNoFurther() throws Exception {
        byte[] plain = utf8("{\"padding\":\"" + " ".repeat(100_000) + "\"}");
        byte[] bomb = gzip(plain);
        assertThat(bomb.length).isLessThan(1_000);

        assertThat(new RecordDecoder(RecordFormat.JSON, plain.length).decode(bomb)).hasSize(1);
        assertThatThrownBy(() -> new RecordDecoder(RecordFormat.JSON, plain.length - 1).decode(bomb))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("gzip data decompresses to more than the limit of " + (plain.length - 1)
                        + " decoded bytes per Kinesis record");
    }

    @Test
    void aGzipBombStopsAtTheLimit() {
        byte[] bomb = gzip(new byte[50 * LIMIT]);

        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(bomb))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("gzip data decompresses to more than the limit of " + LIMIT
                        + " decoded bytes per Kinesis record");
    }

    @Test
    void utf16DataIsRefusedRatherThanSlicedWrongly() {
        byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE);
        byte[] utf16WithBom = "{\"a\":1}".getBytes(StandardCharsets.UTF_16);

        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(utf16))
                .hasMessage("the data has a zero byte at offset 1, as UTF-16 or UTF-32 would; JSON must be UTF-8");
        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(utf16WithBom))
                .hasMessage("the data starts with a UTF-16 byte order mark; JSON must be UTF-8");
    }

    @Test
    void jacksonsDefaultReadConstraintsHold() {
        String longNumber = "1".repeat(1001);

        assertThatThrownBy(() -> decode(RecordFormat.AUTO, "{\"n\":0}\n{\"n\":" + longNumber + "}"))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageStartingWith("event at position 1: Number value length (1001) exceeds the maximum");
    }

    @Test
    void aDecodedEventsTreeCannotBeChangedThroughWhatItReturnsAndItsTextShowsNoValue() throws Exception {
        DecodedEvent event = decode(RecordFormat.JSON, "{\"a\":1}").get(0);

        event.json().put("a", 2);

        assertThat(event.json().get("a").intValue()).isEqualTo(1);
        assertThat(event.toString()).doesNotContain("\"a\"");
    }

    @Test
    void theDecoderSurvivesJavaSerializationAsFlinkShipsIt() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(decoder(RecordFormat.NDJSON));
        }
        RecordDecoder copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (RecordDecoder) in.readObject();
        }

        assertThat(summary(copy.decode(utf8("{}\n{}")))).containsExactly("0/0/0 {}", "0/1/1 {}");
        assertThatThrownBy(() -> copy.decode(utf8("[{}]"))).isInstanceOf(UndecodableRecordException.class);
    }

    @Test
    void aDecoderNeedsAFormatAndAPositiveLimit() {
        assertThatThrownBy(() -> new RecordDecoder(null, LIMIT)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new RecordDecoder(RecordFormat.AUTO, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxDecodedBytes must be positive, was 0");
    }

    private static RecordDecoder decoder(RecordFormat format) {
        return new RecordDecoder(format, LIMIT);
    }

    private static List<DecodedEvent> decode(RecordFormat format, String text) throws UndecodableRecordException {
        return decoder(format).decode(utf8(text));
    }

    /** "subRecord/position/ordinal document" per event, so that one assertion pins where each event sat. */
    static List<String> summary(List<DecodedEvent> events) {
        return events.stream()
                .map(e -> e.subRecord() + "/" + e.position() + "/" + e.ordinal() + " "
                        + new String(e.documentUtf8(), StandardCharsets.UTF_8))
                .collect(Collectors.toList());
    }
}
