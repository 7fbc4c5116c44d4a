package dev.searchsync.deadletter;

import dev.searchsync.cdc.dynamodb.ChangeRecordJson;
import dev.searchsync.cdc.dynamodb.ChangeType;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.Op;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;

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

    /** A version-1 letter as searchsync wrote it before envelope version 2 (from docs/operations.md of that time). */
    static final String V1 = "{\"schema\":\"searchsync.dead-letter/1\",\"failedAt\":\"2026-03-01T23:59:59.999Z\","
            + "\"failedAtMs\":1772409599999,\"stage\":\"INDEX\",\"attempt\":1,\"error\":{\"type\":"
            + "\"mapper_parsing_exception\",\"reason\":\"failed to parse field [price]\",\"status\":400},\"job\":"
            + "{\"name\":\"searchsync orders\",\"id\":\"0123456789abcdef0123456789abcdef\",\"subtask\":1},"
            + "\"change\":{\"table\":\"Orders\",\"eventId\":\"evt-1\",\"eventName\":\"MODIFY\","
            + "\"sequenceNumber\":\"4000000000000000000012345678901234\",\"shardId\":\"shardId-1\","
            + "\"parentShardId\":null,\"approximateCreationTime\":\"2026-03-01T23:59:00Z\","
            + "\"approximateCreationTimeMs\":1772409540000,\"ttlDelete\":false,\"keys\":{\"pk\":{\"S\":\"a\"}},"
            + "\"newImage\":{\"pk\":{\"S\":\"a\"},\"price\":{\"N\":\"1.50\"}},\"oldImage\":null},"
            + "\"document\":{\"index\":\"orders\",\"id\":\"a\",\"version\":1772409540000000,\"delete\":false,"
            + "\"source\":{\"pk\":\"a\",\"price\":" + BIG + "}},\"unreadableLine\":null}";

    @Test
    void roundTripGivesBackEveryField() {
        DeadLetter letter = Letters.full();
        DeadLetter copy = DeadLetterJson.read(DeadLetterJson.write(letter));
        assertThat(copy).isEqualTo(letter);
        assertThat(copy).usingRecursiveComparison().isEqualTo(letter);
    }

    @Test
    void aKinesisRecordKeepsItsBytesAndAVersionedActionItsEventVersion() {
        byte[] gzip = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff, 3};
        Origin origin = Origin.of("clicks", "kinesis", "shardId-000000000001", "shardId-000000000000",
                "49590338271490256608559692538361571095921575989136588898", 1_764_583_200_000L, null);
        DeadLetter undecodable = DeadLetter.of(FailedChange.of(origin, RawRecord.bytes(gzip), null,
                Failure.of(FailureStage.DECODE, "dev.searchsync.model.UndecodableRecordException", "bad gzip", 0,
                        1_764_583_201_000L)), JobInfo.of("searchsync clicks", "j", 0));
        DocumentAction versioned = DocumentAction.index("orders", "o-1", "{\"v\":7}", origin.at(2)).withVersion(7);
        versioned.setEventVersion(7);
        DeadLetter rejected = DeadLetter.of(FailedChange.rejected(versioned,
                Failure.of(FailureStage.INDEX, "mapper_parsing_exception", "no", 400, 1_764_583_201_000L)),
                JobInfo.of("searchsync clicks", "j", 1));

        DeadLetter copy = DeadLetterJson.read(DeadLetterJson.write(undecodable));
        assertThat(copy.getRecord().getFormat()).isEqualTo(RawRecord.RawFormat.BASE64);
        assertThat(copy.getRecord().toBytes()).isEqualTo(gzip);
        assertThat(copy.getOrigin()).isEqualTo(origin);
        String line = DeadLetterJson.write(rejected);
        assertThat(line).contains("\"version\":7,\"eventVersion\":7,\"document\"");
        assertThat(DeadLetterJson.read(line).getAction().getEventVersion()).isEqualTo(7);
    }

    @Test
    void numbersKeepEveryDigitAndGetNoExponent() throws Exception {
        String line = DeadLetterJson.write(Letters.full());
        assertThat(line).contains("\"big\":" + BIG + ",", "\"price\":" + PRICE + ",", "\"tiny\":" + TINY + ",",
                "\"list\":[" + PRICE + "," + TINY + ",");
        assertThat(line).doesNotContainPattern("[0-9][eE][-+]?[0-9]");

        JsonNode document = EXACT.readTree(line).path("action").path("document");
        assertThat(document.path("big").bigIntegerValue()).isEqualTo(new BigInteger(BIG));
        assertThat(document.path("price").decimalValue()).isEqualTo(new BigDecimal(PRICE)); // scale 2 kept
        assertThat(document.path("tiny").decimalValue()).isEqualTo(new BigDecimal(TINY));
        assertThat(DeadLetterJson.read(line).getAction().getDocument()).isEqualTo(Letters.DOCUMENT);
    }

    @Test
    void newlinesQuotesAndUnicodeStayOnOneLineAndComeBack() {
        DeadLetter letter = Letters.full();
        letter.getError().setReason(NASTY_TEXT);
        letter.getJob().setName(NASTY_TEXT);
        String line = DeadLetterJson.write(letter);
        assertThat(line).doesNotContain("\n", "\r");
        assertThat(line).contains("日本語 😀");
        DeadLetter copy = DeadLetterJson.read(line);
        assertThat(copy.getError().getReason()).isEqualTo(NASTY_TEXT);
        assertThat(copy.getJob().getName()).isEqualTo(NASTY_TEXT);
        assertThat(copy.getRecord()).isEqualTo(letter.getRecord());
        assertThat(copy.getRecord().getData()).contains(Letters.jsonString(NASTY_TEXT));
        assertThat(copy).isEqualTo(letter);
    }

    @Test
    void theRecordAndTheDocumentAreEmbeddedAsJson() throws Exception {
        JsonNode root = EXACT.readTree(DeadLetterJson.write(Letters.full()));
        assertThat(root.path("schema").asText()).isEqualTo("searchsync.dead-letter/2");
        JsonNode record = root.path("record");
        assertThat(record.path("format").asText()).isEqualTo("JSON");
        assertThat(record.path("data").path("keys").path("sk").path("N").asText()).isEqualTo(BIG);
        assertThat(record.path("data").path("newImage").path("note").path("S").asText()).isEqualTo(NASTY_TEXT);
        assertThat(record.path("data").path("oldImage").path("tiny").path("N").asText()).isEqualTo(TINY);
        assertThat(root.path("action").path("document").isObject()).isTrue();
        assertThat(root.path("action").path("version").asLong()).isEqualTo(4000000000000000000L);
    }

    @Test
    void bytesAreBase64AndTextIsAString() throws Exception {
        DeadLetter letter = Letters.full();
        letter.setRecord(RawRecord.bytes(new byte[] {0x1f, (byte) 0x8b, 0, -1}));
        JsonNode root = EXACT.readTree(DeadLetterJson.write(letter));
        assertThat(root.path("record").path("format").asText()).isEqualTo("BASE64");
        assertThat(root.path("record").path("data").asText()).isEqualTo("H4sA/w==");
        assertThat(DeadLetterJson.read(DeadLetterJson.write(letter))).isEqualTo(letter);

        letter.setRecord(RawRecord.text("{\"looks\": \"like JSON\" }"));
        String line = DeadLetterJson.write(letter);
        assertThat(EXACT.readTree(line).path("record").path("data").asText()).isEqualTo("{\"looks\": \"like JSON\" }");
        assertThat(DeadLetterJson.read(line)).isEqualTo(letter);
    }

    @Test
    void timesAreIsoUtc() throws Exception {
        JsonNode root = EXACT.readTree(DeadLetterJson.write(Letters.full()));
        assertThat(root.path("error").path("failedAt").asText()).isEqualTo("2026-03-01T23:59:59.999Z");
        assertThat(root.path("origin").path("eventTime").asText()).isEqualTo("2026-03-01T23:59:00Z");
    }

    @Test
    void fieldsAreInTheDocumentedPlaces() throws Exception {
        JsonNode root = EXACT.readTree(DeadLetterJson.write(Letters.full()));
        assertThat(fieldNames(root)).containsExactly("schema", "attempt", "error", "job", "origin", "action",
                "record");
        assertThat(fieldNames(root.path("error"))).containsExactly("stage", "type", "reason", "status", "failedAt");
        assertThat(fieldNames(root.path("job"))).containsExactly("name", "id", "subtask");
        assertThat(fieldNames(root.path("origin"))).containsExactly("input", "kind", "shard", "parentShard",
                "sequence", "subSequence", "eventTime", "eventId", "redriveAttempt");
        assertThat(fieldNames(root.path("action"))).containsExactly("op", "index", "id", "version", "document");
        assertThat(fieldNames(root.path("record"))).containsExactly("format", "data");
        assertThat(root.path("error").path("stage").asText()).isEqualTo("INDEX");
        assertThat(root.path("attempt").asInt()).isEqualTo(3);
        assertThat(root.path("error").path("status").asInt()).isEqualTo(400);
        assertThat(root.path("origin").path("kind").asText()).isEqualTo("dynamodb-streams");
        assertThat(root.path("action").path("op").asText()).isEqualTo("INDEX");
    }

    @Test
    void aLetterWithoutRecordOrActionRoundTripsWithNulls() throws Exception {
        DeadLetter letter = Letters.full();
        letter.setRecord(null);
        letter.setAction(null);
        String line = DeadLetterJson.write(letter);
        JsonNode root = EXACT.readTree(line);
        assertThat(root.path("record").isNull()).isTrue();
        assertThat(root.path("action").isNull()).isTrue();
        assertThat(DeadLetterJson.read(line)).isEqualTo(letter);
    }

    @Test
    void textThatIsNotJsonIsEmbeddedAsAString() throws Exception {
        DeadLetter letter = Letters.full();
        letter.setRecord(RawRecord.json("{\"pk\": {\"S\": \"truncated"));
        letter.getAction().setDocument("\"just a string\"");
        String line = DeadLetterJson.write(letter);
        JsonNode root = EXACT.readTree(line);
        assertThat(root.path("record").path("data").asText()).isEqualTo("{\"pk\": {\"S\": \"truncated");
        assertThat(root.path("action").path("document").asText()).isEqualTo("\"just a string\"");
        assertThat(DeadLetterJson.read(line)).isEqualTo(letter);
    }

    @Test
    void embeddedJsonIsWrittenCompactly() {
        DeadLetter letter = Letters.full();
        letter.setRecord(RawRecord.json("{ \"pk\" : { \"S\" : \"a\" } ,\n \"n\": [ 1.50 , 2 ] }"));
        assertThat(DeadLetterJson.write(letter)).contains("\"data\":{\"pk\":{\"S\":\"a\"},\"n\":[1.50,2]}");
        assertThat(DeadLetterJson.read(DeadLetterJson.write(letter)).getRecord().getData())
                .isEqualTo("{\"pk\":{\"S\":\"a\"},\"n\":[1.50,2]}");
    }

    @Test
    void unknownFieldsAreSkipped() {
        String line = DeadLetterJson.write(Letters.full());
        String extended = line.replace("\"attempt\":", "\"later\":{\"x\":[1,{\"y\":2}]},\"attempt\":")
                .replace("\"status\":400", "\"status\":400,\"extra\":\"x\"");
        assertThat(DeadLetterJson.read(extended)).isEqualTo(Letters.full());
    }

    @Test
    void otherSchemasAndNonLettersAreRefused() {
        String line = DeadLetterJson.write(Letters.full());
        assertThatThrownBy(() -> DeadLetterJson.read(line.replace("dead-letter/2", "dead-letter/9")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Dead letter of schema 'searchsync.dead-letter/9': this version of searchsync reads"
                        + " searchsync.dead-letter/2 and searchsync.dead-letter/1");
        assertThatThrownBy(() -> DeadLetterJson.read("{\"attempt\":1}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Not a dead letter: \"schema\" is 'null'");
        assertThatThrownBy(() -> DeadLetterJson.read("[1]"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Not a dead letter (");
        assertThatThrownBy(() -> DeadLetterJson.read(line.substring(0, line.length() - 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Not a dead letter (Unexpected end-of-input");
        assertThatThrownBy(() -> DeadLetterJson.read(line.replace("\"stage\":\"INDEX\"", "\"stage\":\"SEND\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SEND");
        assertThatThrownBy(() -> DeadLetterJson.read(line + " {}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Trailing token");
    }

    @Test
    void aVersionOneLetterReadsAsItsRecordActionAndOrigin() {
        DeadLetter letter = DeadLetterJson.read(V1);
        assertThat(letter.getSchema()).isEqualTo("searchsync.dead-letter/1");
        assertThat(letter.stage()).isEqualTo(FailureStage.INDEX);
        assertThat(letter.failedAt()).isEqualTo(1772409599999L);
        assertThat(letter.getAttempt()).isEqualTo(1);
        assertThat(letter.getError().getStatus()).isEqualTo(400);
        assertThat(letter.getJob()).isEqualTo(JobInfo.of("searchsync orders", "0123456789abcdef0123456789abcdef", 1));
        assertThat(letter.getOrigin().getKind()).isEqualTo("dynamodb-streams");
        assertThat(letter.getOrigin().getShard()).isEqualTo("shardId-1");
        assertThat(letter.getOrigin().getSequence()).isEqualTo("4000000000000000000012345678901234");
        assertThat(letter.getOrigin().getEventTime()).isEqualTo(1772409540000L);
        assertThat(letter.getRecord().getFormat()).isEqualTo(RawRecord.RawFormat.JSON);
        assertThat(ChangeRecordJson.read(letter.getRecord().getData()).getNewImage())
                .isEqualTo("{\"pk\":{\"S\":\"a\"},\"price\":{\"N\":\"1.50\"}}");
        assertThat(ChangeRecordJson.read(letter.getRecord().getData()).getEventName()).isEqualTo(ChangeType.MODIFY);
        assertThat(letter.getAction().getOp()).isEqualTo(Op.INDEX);
        assertThat(letter.getAction().getDocument()).isEqualTo("{\"pk\":\"a\",\"price\":" + BIG + "}");
        assertThat(letter.getAction().getVersion()).isEqualTo(1772409540000000L);
    }

    @Test
    void theDocumentedExamplesAreExactLetters() throws Exception {
        List<String> examples = Files.readAllLines(Path.of("docs/operations.md")).stream()
                .filter(l -> l.startsWith("{\"schema\":\"searchsync.dead-letter/2\""))
                .collect(Collectors.toList());
        assertThat(examples).isNotEmpty();
        for (String example : examples) {
            DeadLetter letter = DeadLetterJson.read(example);
            assertThat(DeadLetterJson.write(letter)).isEqualTo(example);
        }
        assertThat(DeadLetterJson.read(examples.get(0)).stage()).isEqualTo(FailureStage.INDEX);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
