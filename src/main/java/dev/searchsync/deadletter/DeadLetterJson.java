package dev.searchsync.deadletter;

import dev.searchsync.change.ChangeType;
import dev.searchsync.failure.FailureStage;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The stored form of a {@link DeadLetter}: one JSON object on one line, versioned by its {@code "schema"} field
 * ({@value #SCHEMA}) and documented in docs/operations.md.
 *
 * <p>Keys, images and the document are embedded as JSON (objects, not strings holding JSON), so {@code jq} reaches
 * into them. They are copied token by token, and every number keeps its text exactly as the job had it: no digit
 * is rounded away and no exponent is introduced. Text that is not a JSON object or array (a record too broken to
 * decode) is embedded as a JSON string instead. {@link #read} gives back the letter {@link #write} was given.
 */
public final class DeadLetterJson {
    /** The value of the {@code "schema"} field of the envelope this class writes and reads. */
    public static final String SCHEMA = "searchsync.dead-letter/" + DeadLetter.CURRENT_SCHEMA_VERSION;

    private static final String SCHEMA_PREFIX = "searchsync.dead-letter/";
    private static final JsonFactory JSON = new JsonFactory();

    private DeadLetterJson() {}

    /** The letter as one line of JSON, without a line break. */
    public static String write(DeadLetter letter) {
        StringWriter text = new StringWriter(1024);
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.writeStartObject();
            out.writeStringField("schema", SCHEMA);
            out.writeStringField("failedAt", Instant.ofEpochMilli(letter.getFailedAt()).toString());
            out.writeNumberField("failedAtMs", letter.getFailedAt());
            writeEnum(out, "stage", letter.getStage());
            out.writeNumberField("attempt", letter.getAttempt());

            out.writeObjectFieldStart("error");
            out.writeStringField("type", letter.getErrorType());
            out.writeStringField("reason", letter.getErrorReason());
            out.writeNumberField("status", letter.getStatus());
            out.writeEndObject();

            out.writeObjectFieldStart("job");
            out.writeStringField("name", letter.getJobName());
            out.writeStringField("id", letter.getJobId());
            out.writeNumberField("subtask", letter.getSubtask());
            out.writeEndObject();

            out.writeObjectFieldStart("change");
            out.writeStringField("table", letter.getTable());
            out.writeStringField("eventId", letter.getEventId());
            writeEnum(out, "eventName", letter.getEventName());
            out.writeStringField("sequenceNumber", letter.getSequenceNumber());
            out.writeStringField("shardId", letter.getShardId());
            out.writeStringField("parentShardId", letter.getParentShardId());
            long created = letter.getApproximateCreationTime();
            out.writeStringField("approximateCreationTime", created == 0 ? null : Instant.ofEpochMilli(created).toString());
            out.writeNumberField("approximateCreationTimeMs", created);
            out.writeBooleanField("ttlDelete", letter.isTtlDelete());
            writeEmbedded(out, "keys", letter.getKeys());
            writeEmbedded(out, "newImage", letter.getNewImage());
            writeEmbedded(out, "oldImage", letter.getOldImage());
            out.writeEndObject();

            out.writeObjectFieldStart("document");
            out.writeStringField("index", letter.getIndex());
            out.writeStringField("id", letter.getDocumentId());
            out.writeNumberField("version", letter.getVersion());
            out.writeBooleanField("delete", letter.isDelete());
            writeEmbedded(out, "source", letter.getDocument());
            out.writeEndObject();

            // A line kept as text, not embedded: it is what could not be read, so it stays exactly as it was.
            out.writeStringField("unreadableLine", letter.getUnreadableLine());

            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /**
     * Parses one envelope. Fields this version does not know are skipped, so a letter with additions that keep
     * the schema's version still reads.
     *
     * @throws IllegalArgumentException when {@code line} is not JSON, not a dead letter, or of another schema
     */
    public static DeadLetter read(String line) {
        DeadLetter letter = new DeadLetter();
        boolean schemaSeen = false;
        String failedAtIso = null;
        boolean failedAtMsSeen = false;
        try (JsonParser in = JSON.createParser(line)) {
            expect(in.nextToken(), JsonToken.START_OBJECT, "a dead letter object");
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String field = in.currentName();
                JsonToken value = in.nextToken();
                switch (field) {
                    case "schema":
                        checkSchema(text(in));
                        schemaSeen = true;
                        break;
                    case "failedAt":
                        failedAtIso = text(in);
                        break;
                    case "failedAtMs":
                        letter.setFailedAt(number(in, 0L));
                        failedAtMsSeen = true;
                        break;
                    case "stage":
                        letter.setStage(enumValue(in, FailureStage.class));
                        break;
                    case "attempt":
                        letter.setAttempt((int) number(in, 1L));
                        break;
                    case "error":
                        readError(in, letter);
                        break;
                    case "job":
                        readJob(in, letter);
                        break;
                    case "change":
                        readChange(in, letter);
                        break;
                    case "document":
                        readDocument(in, letter);
                        break;
                    case "unreadableLine":
                        letter.setUnreadableLine(text(in));
                        break;
                    default:
                        in.skipChildren();
                }
            }
            expect(in.currentToken(), JsonToken.END_OBJECT, "the end of the dead letter");
            if (in.nextToken() != null) {
                throw new IllegalArgumentException("Not one dead letter: text follows the object: " + excerpt(line));
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a dead letter (" + e.getOriginalMessage() + "): " + excerpt(line),
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!schemaSeen) {
            throw new IllegalArgumentException("Not a dead letter (no \"schema\" field): " + excerpt(line));
        }
        if (!failedAtMsSeen && failedAtIso != null) {
            letter.setFailedAt(parseInstant(failedAtIso));
        }
        return letter;
    }

    private static void readError(JsonParser in, DeadLetter letter) throws IOException {
        if (!startObject(in)) {
            return;
        }
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String field = in.currentName();
            in.nextToken();
            switch (field) {
                case "type":
                    letter.setErrorType(text(in));
                    break;
                case "reason":
                    letter.setErrorReason(text(in));
                    break;
                case "status":
                    letter.setStatus((int) number(in, 0L));
                    break;
                default:
                    in.skipChildren();
            }
        }
    }

    private static void readJob(JsonParser in, DeadLetter letter) throws IOException {
        if (!startObject(in)) {
            return;
        }
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String field = in.currentName();
            in.nextToken();
            switch (field) {
                case "name":
                    letter.setJobName(text(in));
                    break;
                case "id":
                    letter.setJobId(text(in));
                    break;
                case "subtask":
                    letter.setSubtask((int) number(in, 0L));
                    break;
                default:
                    in.skipChildren();
            }
        }
    }

    private static void readChange(JsonParser in, DeadLetter letter) throws IOException {
        if (!startObject(in)) {
            return;
        }
        String createdIso = null;
        boolean createdMsSeen = false;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String field = in.currentName();
            in.nextToken();
            switch (field) {
                case "table":
                    letter.setTable(text(in));
                    break;
                case "eventId":
                    letter.setEventId(text(in));
                    break;
                case "eventName":
                    letter.setEventName(enumValue(in, ChangeType.class));
                    break;
                case "sequenceNumber":
                    letter.setSequenceNumber(text(in));
                    break;
                case "shardId":
                    letter.setShardId(text(in));
                    break;
                case "parentShardId":
                    letter.setParentShardId(text(in));
                    break;
                case "approximateCreationTime":
                    createdIso = text(in);
                    break;
                case "approximateCreationTimeMs":
                    letter.setApproximateCreationTime(number(in, 0L));
                    createdMsSeen = true;
                    break;
                case "ttlDelete":
                    letter.setTtlDelete(bool(in));
                    break;
                case "keys":
                    letter.setKeys(embedded(in));
                    break;
                case "newImage":
                    letter.setNewImage(embedded(in));
                    break;
                case "oldImage":
                    letter.setOldImage(embedded(in));
                    break;
                default:
                    in.skipChildren();
            }
        }
        if (!createdMsSeen && createdIso != null) {
            letter.setApproximateCreationTime(parseInstant(createdIso));
        }
    }

    private static void readDocument(JsonParser in, DeadLetter letter) throws IOException {
        if (!startObject(in)) {
            return;
        }
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String field = in.currentName();
            in.nextToken();
            switch (field) {
                case "index":
                    letter.setIndex(text(in));
                    break;
                case "id":
                    letter.setDocumentId(text(in));
                    break;
                case "version":
                    letter.setVersion(number(in, 0L));
                    break;
                case "delete":
                    letter.setDelete(bool(in));
                    break;
                case "source":
                    letter.setDocument(embedded(in));
                    break;
                default:
                    in.skipChildren();
            }
        }
    }

    /** Embeds JSON text as JSON when it is one object or array, else as a string; null stays null. */
    private static void writeEmbedded(JsonGenerator out, String field, String json) throws IOException {
        out.writeFieldName(field);
        if (json == null) {
            out.writeNull();
            return;
        }
        String copy = compactCopy(json);
        if (copy == null) {
            out.writeString(json);
        } else {
            out.writeRawValue(copy);
        }
    }

    /** The JSON object or array {@code json} holds, re-written compactly with number text untouched; else null. */
    private static String compactCopy(String json) {
        StringWriter text = new StringWriter(json.length());
        try (JsonParser in = JSON.createParser(json); JsonGenerator out = JSON.createGenerator(text)) {
            JsonToken first = in.nextToken();
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                return null;
            }
            copyStructure(in, out);
            if (in.nextToken() != null) {
                return null;
            }
        } catch (JsonProcessingException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** The embedded value at the parser as JSON text: a structure re-written compactly, a string as its text. */
    private static String embedded(JsonParser in) throws IOException {
        switch (in.currentToken()) {
            case VALUE_NULL:
                return null;
            case VALUE_STRING:
                return in.getText();
            case START_OBJECT:
            case START_ARRAY: {
                StringWriter text = new StringWriter(256);
                try (JsonGenerator out = JSON.createGenerator(text)) {
                    copyStructure(in, out);
                }
                return text.toString();
            }
            default:
                // A bare number or boolean: not something write() produces, kept as its JSON text.
                return in.getText();
        }
    }

    /** Copies the value starting at the parser's current token; numbers are written with their exact text. */
    private static void copyStructure(JsonParser in, JsonGenerator out) throws IOException {
        int depth = 0;
        JsonToken token = in.currentToken();
        while (true) {
            switch (token) {
                case START_OBJECT:
                    out.writeStartObject();
                    depth++;
                    break;
                case START_ARRAY:
                    out.writeStartArray();
                    depth++;
                    break;
                case END_OBJECT:
                    out.writeEndObject();
                    depth--;
                    break;
                case END_ARRAY:
                    out.writeEndArray();
                    depth--;
                    break;
                case FIELD_NAME:
                    out.writeFieldName(in.currentName());
                    break;
                case VALUE_STRING:
                    out.writeString(in.getText());
                    break;
                case VALUE_NUMBER_INT:
                case VALUE_NUMBER_FLOAT:
                    out.writeNumber(in.getText());
                    break;
                case VALUE_TRUE:
                    out.writeBoolean(true);
                    break;
                case VALUE_FALSE:
                    out.writeBoolean(false);
                    break;
                case VALUE_NULL:
                    out.writeNull();
                    break;
                default:
                    throw new IllegalStateException("Unexpected JSON token " + token);
            }
            if (depth == 0) {
                return;
            }
            token = in.nextToken();
            if (token == null) {
                throw new IllegalStateException("JSON ended inside a structure");
            }
        }
    }

    private static void writeEnum(JsonGenerator out, String field, Enum<?> value) throws IOException {
        out.writeStringField(field, value == null ? null : value.name());
    }

    private static void checkSchema(String schema) {
        if (SCHEMA.equals(schema)) {
            return;
        }
        if (schema != null && schema.startsWith(SCHEMA_PREFIX)) {
            throw new IllegalArgumentException("Dead letter of schema '" + schema + "': this version of searchsync"
                    + " reads " + SCHEMA);
        }
        throw new IllegalArgumentException("Not a dead letter: \"schema\" is '" + schema + "', expected " + SCHEMA);
    }

    private static boolean startObject(JsonParser in) throws IOException {
        if (in.currentToken() == JsonToken.VALUE_NULL) {
            return false;
        }
        expect(in.currentToken(), JsonToken.START_OBJECT, "an object for \"" + in.currentName() + "\"");
        return true;
    }

    private static String text(JsonParser in) throws IOException {
        if (in.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!in.currentToken().isScalarValue()) {
            throw new JsonParseException(in, "expected a string for \"" + in.currentName() + "\"");
        }
        return in.getText();
    }

    private static long number(JsonParser in, long whenNull) throws IOException {
        if (in.currentToken() == JsonToken.VALUE_NULL) {
            return whenNull;
        }
        if (in.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            throw new JsonParseException(in, "expected a whole number for \"" + in.currentName() + "\"");
        }
        return in.getLongValue();
    }

    private static boolean bool(JsonParser in) throws IOException {
        if (in.currentToken() != JsonToken.VALUE_TRUE && in.currentToken() != JsonToken.VALUE_FALSE) {
            throw new JsonParseException(in, "expected true or false for \"" + in.currentName() + "\"");
        }
        return in.getBooleanValue();
    }

    private static <E extends Enum<E>> E enumValue(JsonParser in, Class<E> type) throws IOException {
        String name = text(in);
        if (name == null) {
            return null;
        }
        try {
            return Enum.valueOf(type, name);
        } catch (IllegalArgumentException e) {
            throw new JsonParseException(in, "unknown " + type.getSimpleName() + " '" + name + "' for \""
                    + in.currentName() + "\"");
        }
    }

    private static long parseInstant(String iso) {
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Not an ISO-8601 instant: '" + iso + "'", e);
        }
    }

    private static void expect(JsonToken actual, JsonToken expected, String what) throws IOException {
        if (actual != expected) {
            throw new IllegalArgumentException("Not a dead letter: expected " + what + ", got " + actual);
        }
    }

    private static String excerpt(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }
}
