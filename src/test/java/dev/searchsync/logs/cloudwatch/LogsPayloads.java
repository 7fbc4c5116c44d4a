package dev.searchsync.logs.cloudwatch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Kinesis record data as a CloudWatch Logs subscription writes it on AWS (gzip of the JSON object described in
 * "Using CloudWatch Logs subscription filters"), built field by field from that description rather than with the
 * decoder's code; moto's variant (integer ids) on request.
 */
final class LogsPayloads {
    static final String OWNER = "123456789012";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode root = JSON.createObjectNode();
    private final ArrayNode events;

    private LogsPayloads(String messageType, String logGroup, String logStream) {
        root.put("messageType", messageType);
        root.put("owner", OWNER);
        root.put("logGroup", logGroup);
        root.put("logStream", logStream);
        root.putArray("subscriptionFilters").add("to-kinesis");
        events = root.putArray("logEvents");
    }

    /** A DATA_MESSAGE of {@code logGroup} and {@code logStream}, without events yet. */
    static LogsPayloads data(String logGroup, String logStream) {
        return new LogsPayloads("DATA_MESSAGE", logGroup, logStream);
    }

    /** The CONTROL_MESSAGE AWS sends when a subscription is created, as documented (one event, no real group). */
    static byte[] control() {
        LogsPayloads payload = new LogsPayloads("CONTROL_MESSAGE", "", "");
        payload.root.put("owner", "CloudwatchLogs");
        payload.root.putArray("subscriptionFilters");
        payload.event(awsId(0), 1_764_582_000_000L,
                "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.");
        return payload.gzip();
    }

    /** A 56-digit event id as AWS writes them, distinct for each {@code n}. */
    static String awsId(long n) {
        return String.format("3195310660696698337880902507980421114328961542429%07d", n);
    }

    LogsPayloads event(String id, long timestamp, String message) {
        ObjectNode event = events.addObject();
        event.put("id", id);
        event.put("timestamp", timestamp);
        event.put("message", message);
        return this;
    }

    /** An event as moto delivers it: the id a small JSON integer. */
    LogsPayloads motoEvent(long id, long timestamp, String message) {
        ObjectNode event = events.addObject();
        event.put("id", id);
        event.put("timestamp", timestamp);
        event.put("message", message);
        return this;
    }

    /** An event of a subscription whose space-delimited filter pattern extracted {@code fields}. */
    LogsPayloads event(String id, long timestamp, String message, Map<String, String> fields) {
        event(id, timestamp, message);
        ObjectNode extracted = ((ObjectNode) events.get(events.size() - 1)).putObject("extractedFields");
        fields.forEach(extracted::put);
        return this;
    }

    /** The payload's JSON, for tests that break it on purpose. */
    ObjectNode json() {
        return root;
    }

    /** The payload's JSON bytes before gzip, for tests that must write escapes Jackson would not. */
    static byte[] gzipless(LogsPayloads payload) {
        return payload.root.toString().getBytes(StandardCharsets.UTF_8);
    }

    byte[] gzip() {
        return gzip(root.toString().getBytes(StandardCharsets.UTF_8));
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
