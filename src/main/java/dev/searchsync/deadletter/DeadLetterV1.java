package dev.searchsync.deadletter;

import dev.searchsync.json.EmbeddedJson;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads letters of envelope version 1, which searchsync wrote before version 2, into today's {@link DeadLetter}, so
 * they stay redrivable. Version 1 knew one input, DynamoDB Streams: its {@code change} block is that input's record,
 * kept whole as the raw record (the DynamoDB input reads that very shape), and its position fields become the
 * origin.
 */
final class DeadLetterV1 {
    static final String SCHEMA = "searchsync.dead-letter/1";
    /** The only input kind version 1 was written for. */
    private static final String KIND = "dynamodb-streams";

    /** Its own mapper: the envelope's refuses trailing tokens, and this one reads blocks out of a longer line. */
    private static final ObjectMapper BLOCKS = new ObjectMapper();

    private DeadLetterV1() {}

    static DeadLetter read(String line) {
        try (JsonParser in = BLOCKS.createParser(line)) {
            in.nextToken();
            return read(in);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a dead letter (" + e.getOriginalMessage() + "): "
                    + DeadLetterJson.excerpt(line), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DeadLetter read(JsonParser in) throws IOException {
        DeadLetter letter = new DeadLetter();
        letter.setSchema(SCHEMA);
        long failedAt = 0;
        FailureStage stage = null;
        JsonNode error = null;
        String change = null;
        JsonNode document = null;
        String source = null;
        String unreadableLine = null;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String field = in.currentName();
            JsonToken value = in.nextToken();
            switch (field) {
                case "failedAtMs":
                    failedAt = in.getValueAsLong();
                    break;
                case "stage":
                    stage = value == JsonToken.VALUE_NULL ? null : FailureStage.valueOf(in.getText());
                    break;
                case "attempt":
                    letter.setAttempt(in.getValueAsInt(1));
                    break;
                case "error":
                    error = in.readValueAsTree();
                    break;
                case "job":
                    JsonNode job = in.readValueAsTree();
                    letter.setJob(JobInfo.of(text(job, "name"), text(job, "id"), job.path("subtask").asInt(-1)));
                    break;
                case "change":
                    change = EmbeddedJson.read(in);
                    break;
                case "document":
                    // Field by field: the source must keep its numbers' text, which a tree would not.
                    document = readDocument(in);
                    source = document == null ? null : text(document, "__source");
                    break;
                case "unreadableLine":
                    unreadableLine = value == JsonToken.VALUE_NULL ? null : in.getText();
                    break;
                default:
                    in.skipChildren();
            }
        }
        letter.setError(Failure.of(stage == null ? FailureStage.DECODE : stage, text(error, "type"),
                text(error, "reason"), error == null ? 0 : error.path("status").asInt(), failedAt));
        if (change != null && change.startsWith("{")) {
            JsonNode fields = BLOCKS.readTree(change);
            letter.setOrigin(Origin.of(text(fields, "table"), KIND, text(fields, "shardId"),
                    text(fields, "parentShardId"), text(fields, "sequenceNumber"),
                    fields.path("approximateCreationTimeMs").asLong(), text(fields, "eventId")));
            letter.setRecord(RawRecord.json(change));
        } else if (unreadableLine != null) {
            letter.setRecord(RawRecord.text(unreadableLine));
        }
        if (document != null && text(document, "index") != null && text(document, "id") != null) {
            String index = text(document, "index");
            String id = text(document, "id");
            DocumentAction action = document.path("delete").asBoolean()
                    ? DocumentAction.delete(index, id, letter.getOrigin())
                    : source == null ? null : DocumentAction.index(index, id, source, letter.getOrigin());
            letter.setAction(action == null ? null : action.withVersion(document.path("version").asLong()));
        }
        return letter;
    }

    /** The document block as a tree, with its {@code source} kept exactly as text under {@code __source}. */
    private static JsonNode readDocument(JsonParser in) throws IOException {
        if (in.currentToken() != JsonToken.START_OBJECT) {
            in.skipChildren();
            return null;
        }
        ObjectNode node = BLOCKS.createObjectNode();
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String field = in.currentName();
            in.nextToken();
            if ("source".equals(field)) {
                String source = EmbeddedJson.read(in);
                if (source != null) {
                    node.put("__source", source);
                }
            } else {
                node.set(field, in.readValueAsTree());
            }
        }
        return node;
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }
}
