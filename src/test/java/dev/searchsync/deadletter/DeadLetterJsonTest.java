package dev.searchsync.deadletter;

import dev.searchsync.change.ChangeType;
import dev.searchsync.failure.FailureStage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static dev.searchsync.deadletter.Letters.BIG;
import static dev.searchsync.deadletter.Letters.NASTY_TEXT;
import static dev.searchsync.deadletter.Letters.PRICE;
import static dev.searchsync.deadletter.Letters.TINY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The stored envelope: one line, versioned, jq-friendly, and read back exactly as it was written. */
class DeadLetterJsonTest {
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

    @Test
    void roundTripGivesBackEveryField() {
        DeadLetter letter = Letters.full();
        letter.setTtlDelete(true);
        letter.setDelete(true);
        letter.setUnreadableLine(NASTY_TEXT);
        DeadLetter copy = DeadLetterJson.read(DeadLetterJson.write(letter));
        assertThat(copy).isEqualTo(letter);
        assertThat(copy).usingRecursiveComparison().isEqualTo(letter);
    }

    @Test
    void numbersKeepEveryDigitAndGetNoExponent() throws Exception {
        String line = DeadLetterJson.write(Letters.full());
        assertThat(line).contains("\"big\":" + BIG + ",", "\"price\":" + PRICE + ",", "\"tiny\":" + TINY + ",",
                "\"list\":[" + PRICE + "," + TINY + ",");
        assertThat(line).doesNotContainPattern("[0-9][eE][-+]?[0-9]");

        JsonNode source = EXACT.readTree(line).path("document").path("source");
        assertThat(source.path("big").bigIntegerValue()).isEqualTo(new BigInteger(BIG));
        assertThat(source.path("price").decimalValue()).isEqualTo(new BigDecimal(PRICE)); // scale 2 kept
        assertThat(source.path("tiny").decimalValue()).isEqualTo(new BigDecimal(TINY));
        assertThat(DeadLetterJson.read(line).getDocument()).isEqualTo(Letters.full().getDocument());
    }

    @Test
    void newlinesQuotesAndUnicodeStayOnOneLineAndComeBack() {
        DeadLetter letter = Letters.full();
        letter.setErrorReason(NASTY_TEXT);
        letter.setTable(NASTY_TEXT);
        letter.setJobName(NASTY_TEXT);
        String line = DeadLetterJson.write(letter);
        assertThat(line).doesNotContain("\n", "\r");
        assertThat(line).contains("日本語 😀");
        DeadLetter copy = DeadLetterJson.read(line);
        assertThat(copy.getErrorReason()).isEqualTo(NASTY_TEXT);
        assertThat(copy.getTable()).isEqualTo(NASTY_TEXT);
        assertThat(copy.getJobName()).isEqualTo(NASTY_TEXT);
        assertThat(copy.getNewImage()).isEqualTo(letter.getNewImage()).contains(Letters.jsonString(NASTY_TEXT));
        assertThat(copy).isEqualTo(letter);
    }

    @Test
    void keysImagesAndDocumentAreEmbeddedAsJson() throws Exception {
        JsonNode root = EXACT.readTree(DeadLetterJson.write(Letters.full()));
        assertThat(root.path("schema").asText()).isEqualTo("searchsync.dead-letter/1");
        assertThat(root.path("change").path("keys").path("sk").path("N").asText()).isEqualTo(BIG);
        assertThat(root.path("change").path("newImage").path("note").path("S").asText()).isEqualTo(NASTY_TEXT);
        assertThat(root.path("change").path("oldImage").path("tiny").path("N").asText()).isEqualTo(TINY);
        assertThat(root.path("document").path("source").isObject()).isTrue();
        assertThat(root.path("document").path("version").asLong()).isEqualTo(4000000000000000000L);
    }

    @Test
    void timesAreIsoUtcNextToEpochMillis() throws Exception {
        JsonNode root = EXACT.readTree(DeadLetterJson.write(Letters.full()));
        assertThat(root.path("failedAt").asText()).isEqualTo("2026-03-01T23:59:59.999Z");
        assertThat(root.path("failedAtMs").asLong()).isEqualTo(Letters.BEFORE_MIDNIGHT);
        assertThat(root.path("change").path("approximateCreationTime").asText()).isEqualTo("2026-03-01T23:59:00Z");
        assertThat(root.path("change").path("approximateCreationTimeMs").asLong())
                .isEqualTo(Letters.BEFORE_MIDNIGHT - 59_999);
    }

    @Test
    void fieldsAreInTheDocumentedPlaces() throws Exception {
        JsonNode root = EXACT.readTree(DeadLetterJson.write(Letters.full()));
        assertThat(fieldNames(root)).containsExactly("schema", "failedAt", "failedAtMs", "stage", "attempt", "error",
                "job", "change", "document", "unreadableLine");
        assertThat(root.path("unreadableLine").isNull()).isTrue();
        assertThat(fieldNames(root.path("error"))).containsExactly("type", "reason", "status");
        assertThat(fieldNames(root.path("job"))).containsExactly("name", "id", "subtask");
        assertThat(fieldNames(root.path("change"))).containsExactly("table", "eventId", "eventName",
                "sequenceNumber", "shardId", "parentShardId", "approximateCreationTime", "approximateCreationTimeMs", "ttlDelete", "keys",
                "newImage", "oldImage");
        assertThat(fieldNames(root.path("document"))).containsExactly("index", "id", "version", "delete", "source");
        assertThat(root.path("stage").asText()).isEqualTo("INDEX");
        assertThat(root.path("attempt").asInt()).isEqualTo(3);
        assertThat(root.path("error").path("status").asInt()).isEqualTo(400);
        assertThat(root.path("change").path("eventName").asText()).isEqualTo("MODIFY");
    }

    @Test
    void anEmptyLetterRoundTripsWithNulls() throws Exception {
        DeadLetter empty = new DeadLetter();
        String line = DeadLetterJson.write(empty);
        JsonNode root = EXACT.readTree(line);
        assertThat(root.path("change").path("newImage").isNull()).isTrue();
        assertThat(root.path("change").path("approximateCreationTime").isNull()).isTrue();
        assertThat(root.path("document").path("source").isNull()).isTrue();
        assertThat(root.path("stage").isNull()).isTrue();
        assertThat(DeadLetterJson.read(line)).isEqualTo(empty);
    }

    @Test
    void textThatIsNotJsonIsEmbeddedAsAString() throws Exception {
        DeadLetter letter = Letters.full();
        letter.setNewImage("{\"pk\": {\"S\": \"truncated");
        letter.setOldImage("42");
        letter.setDocument("\"just a string\"");
        String line = DeadLetterJson.write(letter);
        JsonNode root = EXACT.readTree(line);
        assertThat(root.path("change").path("newImage").asText()).isEqualTo("{\"pk\": {\"S\": \"truncated");
        assertThat(root.path("change").path("oldImage").isTextual()).isTrue();
        assertThat(root.path("document").path("source").asText()).isEqualTo("\"just a string\"");
        assertThat(DeadLetterJson.read(line)).isEqualTo(letter);
    }

    @Test
    void embeddedJsonIsWrittenCompactly() {
        DeadLetter letter = new DeadLetter();
        letter.setKeys("{ \"pk\" : { \"S\" : \"a\" } ,\n \"n\": [ 1.50 , 2 ] }");
        assertThat(DeadLetterJson.write(letter)).contains("\"keys\":{\"pk\":{\"S\":\"a\"},\"n\":[1.50,2]}");
        assertThat(DeadLetterJson.read(DeadLetterJson.write(letter)).getKeys())
                .isEqualTo("{\"pk\":{\"S\":\"a\"},\"n\":[1.50,2]}");
    }

    @Test
    void unknownFieldsAreSkipped() {
        String line = DeadLetterJson.write(Letters.full());
        String extended = line.replace("\"stage\":", "\"later\":{\"x\":[1,{\"y\":2}]},\"stage\":")
                .replace("\"status\":400", "\"status\":400,\"extra\":\"x\"");
        assertThat(DeadLetterJson.read(extended)).isEqualTo(Letters.full());
    }

    @Test
    void otherSchemasAndNonLettersAreRefused() {
        String line = DeadLetterJson.write(Letters.full());
        assertThatThrownBy(() -> DeadLetterJson.read(line.replace("dead-letter/1", "dead-letter/2")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Dead letter of schema 'searchsync.dead-letter/2': this version of searchsync reads"
                        + " searchsync.dead-letter/1");
        assertThatThrownBy(() -> DeadLetterJson.read("{\"stage\":\"INDEX\"}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Not a dead letter (no \"schema\" field): {\"stage\":\"INDEX\"}");
        assertThatThrownBy(() -> DeadLetterJson.read("[1]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Not a dead letter: expected a dead letter object, got START_ARRAY");
        assertThatThrownBy(() -> DeadLetterJson.read(line.substring(0, line.length() - 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Not a dead letter (Unexpected end-of-input");
        assertThatThrownBy(() -> DeadLetterJson.read(line.replace("\"stage\":\"INDEX\"", "\"stage\":\"SEND\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Not a dead letter (unknown FailureStage 'SEND' for \"stage\")");
        assertThatThrownBy(() -> DeadLetterJson.read(line + " {}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Not one dead letter: text follows the object");
    }

    @Test
    void isoTimesAreEnoughWhenMillisAreMissing() {
        String line = DeadLetterJson.write(Letters.full()).replaceAll("\"failedAtMs\":\\d+,", "")
                .replaceAll("\"approximateCreationTimeMs\":\\d+,", "");
        DeadLetter copy = DeadLetterJson.read(line);
        assertThat(copy.getFailedAt()).isEqualTo(Letters.BEFORE_MIDNIGHT);
        assertThat(copy.getApproximateCreationTime()).isEqualTo(Letters.BEFORE_MIDNIGHT - 59_999);
    }

    @Test
    void theDocumentedExampleIsAnExactLetter() throws Exception {
        List<String> examples = Files.readAllLines(Path.of("docs/operations.md")).stream()
                .filter(l -> l.startsWith("{\"schema\":\"searchsync.dead-letter/1\""))
                .collect(Collectors.toList());
        assertThat(examples).isNotEmpty();
        for (String example : examples) {
            DeadLetter letter = DeadLetterJson.read(example);
            assertThat(DeadLetterJson.write(letter)).isEqualTo(example);
        }
        DeadLetter first = DeadLetterJson.read(examples.get(0));
        assertThat(first.getStage()).isEqualTo(FailureStage.INDEX);
        assertThat(first.getEventName()).isEqualTo(ChangeType.MODIFY);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
