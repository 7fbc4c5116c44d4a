package dev.searchsync.deadletter;

import dev.searchsync.json.EmbeddedJson;
import dev.searchsync.json.IsoMillis;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.Failure;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The stored form of a {@link DeadLetter}: one JSON object on one line, versioned by its {@code "schema"} field
 * ({@value #SCHEMA}) and documented in docs/operations.md, "The envelope". Written and read by Jackson from the
 * model's own classes; what the model cannot say for itself is here as mix-ins: times as ISO-8601, and JSON
 * (documents, records) embedded as JSON with every number's text kept ({@link EmbeddedJson}). Version-1 letters
 * are still read ({@link DeadLetterV1}), so they stay redrivable.
 */
public final class DeadLetterJson {
    /** The value of the {@code "schema"} field of the envelope this class writes. */
    public static final String SCHEMA = "searchsync.dead-letter/2";
    static final String SCHEMA_PREFIX = "searchsync.dead-letter/";

    static final ObjectMapper MAPPER = new ObjectMapper()
            .addMixIn(DeadLetter.class, LetterMixin.class)
            .addMixIn(Failure.class, FailureMixin.class)
            .addMixIn(JobInfo.class, JobMixin.class)
            .addMixIn(Origin.class, OriginMixin.class)
            .addMixIn(DocumentAction.class, ActionMixin.class)
            .addMixIn(RawRecord.class, RawRecordMixin.class)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

    private DeadLetterJson() {}

    /** The letter as one line of JSON, without a line break. */
    public static String write(DeadLetter letter) {
        try {
            return MAPPER.writeValueAsString(letter);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses one envelope, of this version or version 1. Fields this version does not know are skipped, so a letter
     * with additions that keep the schema's version still reads.
     *
     * @throws IllegalArgumentException when {@code line} is not JSON, not a dead letter, or of another schema
     */
    public static DeadLetter read(String line) {
        DeadLetter letter;
        try {
            letter = MAPPER.readValue(line, DeadLetter.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a dead letter (" + e.getOriginalMessage() + "): " + excerpt(line),
                    e);
        }
        if (letter == null) {
            throw new IllegalArgumentException("Not a dead letter: " + excerpt(line));
        }
        String schema = letter.getSchema();
        if (SCHEMA.equals(schema)) {
            if (letter.getAction() != null) {
                letter.getAction().setOrigin(letter.getOrigin());
            }
            return letter;
        }
        if (DeadLetterV1.SCHEMA.equals(schema)) {
            return DeadLetterV1.read(line);
        }
        if (schema != null && schema.startsWith(SCHEMA_PREFIX)) {
            throw new IllegalArgumentException("Dead letter of schema '" + schema + "': this version of searchsync"
                    + " reads " + SCHEMA + " and " + DeadLetterV1.SCHEMA);
        }
        throw new IllegalArgumentException("Not a dead letter: \"schema\" is '" + schema + "', expected " + SCHEMA);
    }

    static String excerpt(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    @JsonPropertyOrder({"schema", "attempt", "error", "job", "origin", "action", "record"})
    abstract static class LetterMixin {}

    @JsonPropertyOrder({"name", "id", "subtask"})
    abstract static class JobMixin {}

    @JsonPropertyOrder({"stage", "type", "reason", "status", "failedAt"})
    abstract static class FailureMixin {
        @JsonSerialize(using = IsoMillis.Serializer.class)
        abstract long getFailedAt();

        @JsonDeserialize(using = IsoMillis.Deserializer.class)
        abstract void setFailedAt(long failedAt);
    }

    @JsonPropertyOrder({"input", "kind", "shard", "parentShard", "sequence", "subSequence", "eventTime", "eventId",
            "redriveAttempt", "snapshot"})
    abstract static class OriginMixin {
        @JsonIgnore
        abstract boolean isRedrive();

        // Only an initial load's items are snapshots: other letters stay as they were.
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        abstract boolean isSnapshot();

        @JsonSerialize(using = IsoMillis.Serializer.class)
        abstract long getEventTime();

        @JsonDeserialize(using = IsoMillis.Deserializer.class)
        abstract void setEventTime(long eventTime);
    }

    @JsonPropertyOrder({"op", "index", "id", "version", "eventVersion", "document", "origin"})
    abstract static class ActionMixin {
        // Only inputs with a version field set it: other letters stay as they were.
        @JsonInclude(JsonInclude.Include.NON_DEFAULT)
        abstract long getEventVersion();

        @JsonIgnore
        abstract boolean isDelete();

        // The letter's origin says it once; the action's is the same object.
        @JsonIgnore
        abstract Origin getOrigin();

        // The document is written once, as JSON, through its text accessors below; the count is not the letter's.
        @JsonIgnore
        abstract byte[] getDocumentUtf8();

        @JsonIgnore
        abstract void setDocumentUtf8(byte[] documentUtf8);

        @JsonIgnore
        abstract int getFieldPaths();

        @JsonSerialize(using = EmbeddedJson.Serializer.class)
        abstract String getDocument();

        @JsonDeserialize(using = EmbeddedJson.Deserializer.class)
        abstract void setDocument(String document);
    }

    @JsonSerialize(using = RawRecordSerializer.class)
    @JsonDeserialize(using = RawRecordDeserializer.class)
    abstract static class RawRecordMixin {}

    /** {@code {"format": "JSON", "data": {...}}}: JSON embedded as JSON, text and base64 as strings. */
    static final class RawRecordSerializer extends JsonSerializer<RawRecord> {
        @Override
        public void serialize(RawRecord record, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartObject();
            out.writeStringField("format", record.getFormat() == null ? null : record.getFormat().name());
            out.writeFieldName("data");
            if (record.getFormat() == RawRecord.RawFormat.JSON) {
                EmbeddedJson.write(out, record.getData());
            } else {
                out.writeString(record.getData());
            }
            out.writeEndObject();
        }
    }

    /** The reading side of {@link RawRecordSerializer}. */
    static final class RawRecordDeserializer extends JsonDeserializer<RawRecord> {
        @Override
        public RawRecord deserialize(JsonParser in, DeserializationContext context) throws IOException {
            if (in.currentToken() != JsonToken.START_OBJECT) {
                return (RawRecord) context.handleUnexpectedToken(RawRecord.class, in);
            }
            RawRecord record = new RawRecord();
            while (in.nextToken() == JsonToken.FIELD_NAME) {
                String field = in.currentName();
                in.nextToken();
                if ("format".equals(field)) {
                    record.setFormat(in.currentToken() == JsonToken.VALUE_NULL ? null
                            : RawRecord.RawFormat.valueOf(in.getText()));
                } else if ("data".equals(field)) {
                    record.setData(EmbeddedJson.read(in));
                } else {
                    in.skipChildren();
                }
            }
            return record;
        }
    }
}
