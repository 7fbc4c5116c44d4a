package dev.searchsync.logs.cloudwatch;

import dev.searchsync.codec.BoundedGunzip;
import dev.searchsync.model.UndecodableRecordException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a CloudWatch Logs subscription put in one Kinesis record: gzip (not base64) of one JSON object holding a log
 * group's batch of events, or a control message that holds none. Decoding is strict, so that anything else becomes a
 * dead letter with its bytes instead of documents made of guesses.
 */
public final class LogsPayload {
    /** A batch of log events. */
    public static final String DATA_MESSAGE = "DATA_MESSAGE";
    /** CloudWatch Logs checking that it can write to the stream; holds no events. */
    public static final String CONTROL_MESSAGE = "CONTROL_MESSAGE";

    /** 9999-12-31T23:59:59.999Z: a later time has no four-digit year, which OpenSearch's date format needs. */
    static final long MAX_TIMESTAMP = 253_402_300_799_999L;

    /** Exact numbers: an extracted field's digits are indexed as the payload wrote them. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final String messageType;
    private final String owner;
    private final String logGroup;
    private final String logStream;
    private final List<String> subscriptionFilters;
    private final List<LogEvent> logEvents;

    private LogsPayload(String messageType, String owner, String logGroup, String logStream,
            List<String> subscriptionFilters, List<LogEvent> logEvents) {
        this.messageType = messageType;
        this.owner = owner;
        this.logGroup = logGroup;
        this.logStream = logStream;
        this.subscriptionFilters = subscriptionFilters;
        this.logEvents = logEvents;
    }

    /**
     * The payload of a Kinesis record's {@code data}.
     *
     * @param maxDecodedBytes the most bytes the gzip data may decompress to, so that a gzip bomb becomes a dead
     *                        letter, not an {@code OutOfMemoryError}
     * @throws UndecodableRecordException naming what is wrong and where (a field, an event's index, a byte
     *                                    offset), never a value: log events can hold personal data
     */
    public static LogsPayload decode(byte[] data, int maxDecodedBytes) throws UndecodableRecordException {
        if (!BoundedGunzip.isGzip(data)) {
            throw new UndecodableRecordException("the record's data is not gzip, expected a CloudWatch Logs"
                    + " subscription payload (gzip of JSON)");
        }
        byte[] json;
        try {
            json = BoundedGunzip.gunzip(data, maxDecodedBytes);
        } catch (IOException e) {
            // The JDK's inflater messages name the format fault ("invalid stored block lengths"), not the data.
            throw new UndecodableRecordException("gzip data cannot be decompressed: " + e.getMessage());
        }
        if (json.length > maxDecodedBytes) {
            throw new UndecodableRecordException("gzip data decompresses to more than the limit of "
                    + maxDecodedBytes + " decoded bytes per Kinesis record");
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            // Jackson's own message quotes the offending token, which is content: only the place is kept.
            long offset = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            throw new UndecodableRecordException("the decompressed payload is not JSON"
                    + (offset >= 0 ? " (fault near byte offset " + offset + ")" : ""));
        } catch (IOException e) {
            throw new UndecodableRecordException("the decompressed payload cannot be read as JSON");
        }
        if (root == null || !root.isObject()) {
            throw new UndecodableRecordException("the decompressed payload is not one JSON object");
        }
        return read(root);
    }

    private static LogsPayload read(JsonNode root) throws UndecodableRecordException {
        String messageType = text(root, "messageType");
        if (CONTROL_MESSAGE.equals(messageType)) {
            return new LogsPayload(messageType, optionalText(root, "owner"), optionalText(root, "logGroup"),
                    optionalText(root, "logStream"), List.of(), List.of());
        }
        if (!DATA_MESSAGE.equals(messageType)) {
            throw new UndecodableRecordException("messageType is neither " + DATA_MESSAGE + " nor "
                    + CONTROL_MESSAGE);
        }
        String logGroup = text(root, "logGroup");
        String logStream = text(root, "logStream");
        JsonNode events = root.get("logEvents");
        if (events == null || !events.isArray()) {
            throw new UndecodableRecordException("logEvents is " + kind(events) + ", expected an array");
        }
        List<LogEvent> logEvents = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            logEvents.add(event(events.get(i), i));
        }
        return new LogsPayload(messageType, optionalText(root, "owner"), logGroup, logStream,
                filters(root.get("subscriptionFilters")), Collections.unmodifiableList(logEvents));
    }

    private static LogEvent event(JsonNode event, int i) throws UndecodableRecordException {
        String where = "logEvents[" + i + "]";
        if (!event.isObject()) {
            throw new UndecodableRecordException(where + " is " + kind(event) + ", expected an object");
        }
        JsonNode id = event.get("id");
        // AWS writes a 56-digit string, moto a JSON integer: both are the same id once read as text.
        String idText = id == null ? null
                : id.isTextual() ? id.textValue()
                : id.isIntegralNumber() ? id.bigIntegerValue().toString() : null;
        if (idText == null || idText.isEmpty()) {
            throw new UndecodableRecordException(where + ".id is " + kind(id)
                    + ", expected the event id (a non-empty string or an integer)");
        }
        JsonNode timestamp = event.get("timestamp");
        if (timestamp == null || !timestamp.isIntegralNumber() || !timestamp.canConvertToLong()
                || timestamp.longValue() < 0 || timestamp.longValue() > MAX_TIMESTAMP) {
            throw new UndecodableRecordException(where + ".timestamp is " + kind(timestamp)
                    + ", expected epoch milliseconds (an integer from 0 to " + MAX_TIMESTAMP + ")");
        }
        JsonNode message = event.get("message");
        if (message == null || !message.isTextual()) {
            throw new UndecodableRecordException(where + ".message is " + kind(message) + ", expected a string");
        }
        return new LogEvent(i, idText, timestamp.longValue(), message.textValue(),
                extractedFields(event.get("extractedFields"), where));
    }

    private static Map<String, String> extractedFields(JsonNode fields, String where)
            throws UndecodableRecordException {
        if (fields == null || fields.isNull()) {
            return null;
        }
        if (!fields.isObject()) {
            throw new UndecodableRecordException(where + ".extractedFields is " + kind(fields)
                    + ", expected an object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode value = field.getValue();
            // AWS sends strings; anything else is kept as its JSON text, so the field stays one keyword.
            out.put(field.getKey(), value.isNull() ? null : value.isTextual() ? value.textValue() : value.toString());
        }
        return out;
    }

    private static List<String> filters(JsonNode filters) {
        if (filters == null || !filters.isArray()) {
            return List.of();
        }
        List<String> out = new ArrayList<>(filters.size());
        filters.forEach(f -> out.add(f.asText()));
        return Collections.unmodifiableList(out);
    }

    private static String text(JsonNode root, String field) throws UndecodableRecordException {
        JsonNode node = root.get(field);
        if (node == null || !node.isTextual() || node.textValue().isEmpty()) {
            throw new UndecodableRecordException(field + " is " + kind(node) + ", expected a non-empty string");
        }
        return node.textValue();
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        return node != null && node.isTextual() ? node.textValue() : null;
    }

    /** What a field holds, in words that tell nothing of its value. */
    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "missing";
        }
        if (node.isTextual()) {
            return node.textValue().isEmpty() ? "an empty string" : "a string";
        }
        return "a " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " value";
    }

    /** True for a control message: no events, nothing to index. */
    public boolean isControlMessage() {
        return CONTROL_MESSAGE.equals(messageType);
    }

    public String messageType() {
        return messageType;
    }

    /** The AWS account id of the log group; null when the payload names none. */
    public String owner() {
        return owner;
    }

    public String logGroup() {
        return logGroup;
    }

    public String logStream() {
        return logStream;
    }

    public List<String> subscriptionFilters() {
        return subscriptionFilters;
    }

    /** The events in the payload's order; empty for a control message. */
    public List<LogEvent> logEvents() {
        return logEvents;
    }

    @Override
    public String toString() {
        return "LogsPayload{" + messageType + ", logGroup=" + logGroup + ", logStream=" + logStream + ", "
                + logEvents.size() + " events}";
    }
}
