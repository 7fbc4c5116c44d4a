package dev.searchsync.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-JVM HTTP proxy in front of the real OpenSearch that answers {@code _bulk} requests with the faults a loaded
 * or failing cluster sends, on demand: whole-request 429 or 503 storms, connections closed without an answer, and
 * 429 for some actions of a bulk while the rest are applied for real. Everything else passes through unchanged.
 */
public final class OpenSearchFaultProxy extends LoopbackProxy {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/json; charset=UTF-8";

    private final Object faults = new Object();
    private int failingBulks;
    private int failStatus;
    private int droppedBulks;
    private int bulksWithRejectedActions;
    private final AtomicInteger bulks = new AtomicInteger();
    private final AtomicInteger faultyAnswers = new AtomicInteger();
    private final AtomicInteger rejectedActions = new AtomicInteger();

    /** A proxy for the OpenSearch at {@code target} (e.g. {@code http://127.0.0.1:9200}); call {@link #start()}. */
    public OpenSearchFaultProxy(String target) {
        super("opensearch-fault-proxy", URI.create(target));
    }

    /** Starts listening on a free loopback port; returns this for chaining. */
    public OpenSearchFaultProxy start() {
        listen();
        return this;
    }

    /** The URL to give the job instead of OpenSearch's. */
    public String url() {
        return endpoint().toString();
    }

    /** The next {@code count} bulk requests are answered with {@code status} (429 or 5xx) and applied nowhere. */
    public void failNextBulks(int count, int status) {
        synchronized (faults) {
            failingBulks = count;
            failStatus = status;
        }
    }

    /** The next {@code count} bulk requests get no answer: the connection is closed, as by a dying node. */
    public void dropNextBulks(int count) {
        synchronized (faults) {
            droppedBulks = count;
        }
    }

    /**
     * In the next {@code count} bulk requests, every second action (the first, third, ...) is answered 429
     * {@code es_rejected_execution_exception} and not applied; the others reach OpenSearch as they are.
     */
    public void rejectEverySecondActionOfNextBulks(int count) {
        synchronized (faults) {
            bulksWithRejectedActions = count;
        }
    }

    /** Bulk requests seen so far. */
    public int bulks() {
        return bulks.get();
    }

    /** Bulk requests answered with a fault (failed, dropped, or with rejected actions). */
    public int faultyAnswers() {
        return faultyAnswers.get();
    }

    /** Actions answered 429 one by one. */
    public int rejectedActions() {
        return rejectedActions.get();
    }

    /** True once every planned fault has been served. */
    public boolean faultsServed() {
        synchronized (faults) {
            return failingBulks == 0 && droppedBulks == 0 && bulksWithRejectedActions == 0;
        }
    }

    @Override
    protected void handle(HttpExchange exchange, byte[] body) throws IOException {
        boolean bulk = "POST".equals(exchange.getRequestMethod())
                && exchange.getRequestURI().getPath().endsWith("/_bulk");
        if (!bulk) {
            forward(exchange, body);
            return;
        }
        bulks.incrementAndGet();
        String fault;
        int status;
        synchronized (faults) {
            status = failStatus;
            if (droppedBulks > 0) {
                droppedBulks--;
                fault = "drop";
            } else if (failingBulks > 0) {
                failingBulks--;
                fault = "fail";
            } else if (bulksWithRejectedActions > 0) {
                bulksWithRejectedActions--;
                fault = "reject";
            } else {
                fault = null;
            }
        }
        if (fault == null) {
            forward(exchange, body);
            return;
        }
        faultyAnswers.incrementAndGet();
        switch (fault) {
            case "drop":
                // Closing the exchange before any header is sent closes the connection without an answer.
                return;
            case "fail":
                answer(exchange, status, CONTENT_TYPE, error(status));
                return;
            default:
                answer(exchange, 200, CONTENT_TYPE, rejectEverySecond(exchange, body));
        }
    }

    /** Sends the even-numbered actions on for real and answers the odd-numbered ones 429, in request order. */
    private byte[] rejectEverySecond(HttpExchange exchange, byte[] body) throws IOException {
        List<byte[]> actions = BulkActions.split(body);
        ByteArrayOutputStream forwarded = new ByteArrayOutputStream();
        for (int i = 1; i < actions.size(); i += 2) {
            forwarded.write(actions.get(i));
        }
        JsonNode applied = null;
        if (forwarded.size() > 0) {
            HttpResponse<byte[]> response = send(exchange, forwarded.toByteArray());
            applied = JSON.readTree(response.body());
            if (response.statusCode() != 200) {
                return response.body(); // OpenSearch itself refused the whole request: pass that on.
            }
        }
        ObjectNode merged = JSON.createObjectNode();
        merged.put("took", applied == null ? 0 : applied.path("took").asLong());
        ArrayNode items = JSON.createArrayNode();
        boolean errors = false;
        for (int i = 0, next = 0; i < actions.size(); i++) {
            if (i % 2 == 0) {
                rejectedActions.incrementAndGet();
                items.add(rejected(actions.get(i)));
                errors = true;
            } else {
                JsonNode item = applied.path("items").get(next++);
                errors |= item.elements().next().has("error");
                items.add(item);
            }
        }
        merged.put("errors", errors);
        merged.set("items", items);
        return JSON.writeValueAsBytes(merged);
    }

    private static JsonNode rejected(byte[] action) throws IOException {
        JsonNode line = JSON.readTree(BulkActions.firstLine(action));
        String op = line.fieldNames().next();
        JsonNode meta = line.path(op);
        ObjectNode item = JSON.createObjectNode();
        ObjectNode result = item.putObject(op);
        result.put("_index", meta.path("_index").asText());
        result.put("_id", meta.path("_id").asText());
        result.put("status", 429);
        result.putObject("error")
                .put("type", "es_rejected_execution_exception")
                .put("reason", "rejected execution of coordinating operation (injected by the test proxy)");
        return item;
    }

    private static byte[] error(int status) {
        String type = status == 429 ? "es_rejected_execution_exception" : "unavailable_shards_exception";
        String json = "{\"error\":{\"root_cause\":[{\"type\":\"" + type + "\",\"reason\":\"injected by the test"
                + " proxy\"}],\"type\":\"" + type + "\",\"reason\":\"injected by the test proxy\"},\"status\":"
                + status + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** The actions of an NDJSON bulk body: an action line, and a document line after index, create and update. */
    static final class BulkActions {
        private BulkActions() {}

        static List<byte[]> split(byte[] body) throws IOException {
            List<byte[]> actions = new ArrayList<>();
            String text = new String(body, StandardCharsets.UTF_8);
            String[] lines = text.split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                String op = JSON.readTree(lines[i]).fieldNames().next();
                StringBuilder action = new StringBuilder(lines[i]).append('\n');
                if (!"delete".equals(op)) {
                    action.append(lines[++i]).append('\n');
                }
                actions.add(action.toString().getBytes(StandardCharsets.UTF_8));
            }
            return actions;
        }

        static byte[] firstLine(byte[] action) {
            String text = new String(action, StandardCharsets.UTF_8);
            return text.substring(0, text.indexOf('\n')).getBytes(StandardCharsets.UTF_8);
        }
    }
}
