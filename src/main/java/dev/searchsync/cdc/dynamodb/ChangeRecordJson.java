package dev.searchsync.cdc.dynamodb;

import dev.searchsync.json.EmbeddedJson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A {@link ChangeRecord} as the JSON a dead letter keeps: the fields of version 1's {@code change} block, with
 * keys and images embedded as DynamoDB JSON objects. Reading it back gives the record that was written, so a
 * redrive maps the very change that failed.
 */
public final class ChangeRecordJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ChangeRecordJson() {}

    public static String write(ChangeRecord change) {
        StringWriter text = new StringWriter(512);
        try (JsonGenerator out = JSON.createGenerator(text)) {
            out.writeStartObject();
            out.writeStringField("table", change.getTableName());
            out.writeStringField("eventId", change.getEventId());
            out.writeStringField("eventName", change.getEventName() == null ? null : change.getEventName().name());
            out.writeStringField("sequenceNumber", change.getSequenceNumber());
            out.writeStringField("shardId", change.getShardId());
            out.writeStringField("parentShardId", change.getParentShardId());
            long created = change.getApproximateCreationTime();
            out.writeStringField("approximateCreationTime",
                    created == 0 ? null : Instant.ofEpochMilli(created).toString());
            out.writeNumberField("approximateCreationTimeMs", created);
            out.writeBooleanField("ttlDelete", change.isTtlDelete());
            out.writeFieldName("keys");
            EmbeddedJson.write(out, change.getKeys());
            out.writeFieldName("newImage");
            EmbeddedJson.write(out, change.getNewImage());
            out.writeFieldName("oldImage");
            EmbeddedJson.write(out, change.getOldImage());
            if (change.getDecodeError() != null) {
                out.writeStringField("decodeError", change.getDecodeError());
            }
            if (change.isLoaded()) {
                out.writeNumberField("loadVersion", change.getLoadVersion());
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    /** @throws IllegalArgumentException when {@code json} is not such an object */
    public static ChangeRecord read(String json) {
        try (JsonParser in = JSON.createParser(json)) {
            if (in.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("expected a JSON object holding a DynamoDB change");
            }
            return read(in);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a DynamoDB change: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the object the parser is at (its START_OBJECT), up to its END_OBJECT; fields it does not know are skipped. */
    public static ChangeRecord read(JsonParser in) throws IOException {
        ChangeRecord change = new ChangeRecord();
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String field = in.currentName();
            JsonToken value = in.nextToken();
            boolean isNull = value == JsonToken.VALUE_NULL;
            switch (field) {
                case "table":
                    change.setTableName(isNull ? null : in.getText());
                    break;
                case "eventId":
                    change.setEventId(isNull ? null : in.getText());
                    break;
                case "eventName":
                    change.setEventName(isNull ? null : eventName(in.getText()));
                    break;
                case "sequenceNumber":
                    change.setSequenceNumber(isNull ? null : in.getText());
                    break;
                case "shardId":
                    change.setShardId(isNull ? null : in.getText());
                    break;
                case "parentShardId":
                    change.setParentShardId(isNull ? null : in.getText());
                    break;
                case "approximateCreationTimeMs":
                    change.setApproximateCreationTime(isNull ? 0 : in.getValueAsLong());
                    break;
                case "ttlDelete":
                    change.setTtlDelete(!isNull && in.getValueAsBoolean());
                    break;
                case "keys":
                    change.setKeys(EmbeddedJson.read(in));
                    break;
                case "newImage":
                    change.setNewImage(EmbeddedJson.read(in));
                    break;
                case "oldImage":
                    change.setOldImage(EmbeddedJson.read(in));
                    break;
                case "decodeError":
                    change.setDecodeError(isNull ? null : in.getText());
                    break;
                case "loadVersion":
                    change.setLoadVersion(isNull ? 0 : in.getValueAsLong());
                    break;
                default:
                    in.skipChildren();
            }
        }
        return change;
    }

    private static ChangeType eventName(String text) {
        try {
            return ChangeType.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("eventName '" + text + "' is not INSERT, MODIFY or REMOVE", e);
        }
    }
}
