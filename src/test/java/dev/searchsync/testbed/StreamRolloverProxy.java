package dev.searchsync.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * An in-JVM fake of what moto's DynamoDB Streams cannot show: shard rollovers (a parent closes and a child continues
 * it, as AWS does every few hours) and the typed errors AWS sends (an expired iterator, throttling). It sits in front
 * of moto on a loopback port, keeps moto's tables and stream records, and reshapes only the stream: moto's one shard
 * is presented as a chain of shards cut at the sequence numbers where {@link #rollover} was called. The job's own SDK
 * client reads it over HTTP as it reads AWS; every other request (DynamoDB's table calls) passes through unchanged.
 *
 * <p>It relies on moto numbering each table's stream records densely (+1 per record), which AWS does not promise but
 * moto does: that is how a rollover finds the last record so far, by probing.
 */
public final class StreamRolloverProxy extends LoopbackProxy {

    private static final Logger LOG = LoggerFactory.getLogger(StreamRolloverProxy.class);

    private static final String STREAMS_TARGET = "DynamoDBStreams_20120810.";
    private static final String JSON_1_0 = "application/x-amz-json-1.0";
    private static final String ERROR_PREFIX = "com.amazonaws.dynamodb.v20120810#";
    private static final int DEFAULT_SHARD_PAGE = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String motoAuthorization;
    private final Map<String, Lineage> lineages = new ConcurrentHashMap<>();
    private final Map<String, ProxyIterator> iterators = new ConcurrentHashMap<>();
    private final AtomicLong iteratorCounter = new AtomicLong();
    private final AtomicInteger iteratorEpoch = new AtomicInteger();
    private final AtomicInteger throttleNext = new AtomicInteger();
    private final AtomicInteger expiredAnswers = new AtomicInteger();
    private final AtomicInteger throttledAnswers = new AtomicInteger();
    private final MotoServer motoServer;
    private DynamoDbStreamsClient streamsClient;

    /** A proxy for {@code moto}; nothing listens until {@link #start()}. */
    public StreamRolloverProxy(MotoServer moto) {
        super("stream-rollover-proxy", moto.endpoint());
        this.motoServer = moto;
        // moto reads the region from the credential scope; the signature itself is not checked.
        this.motoAuthorization = "AWS4-HMAC-SHA256 Credential=" + moto.accessKey() + "/20260101/" + moto.region()
                + "/dynamodb/aws4_request, SignedHeaders=host, Signature=0";
    }

    /** Starts listening on a free loopback port; returns this for chaining. */
    public StreamRolloverProxy start() {
        listen();
        return this;
    }

    @Override
    public synchronized void close() {
        if (streamsClient != null) {
            streamsClient.close();
            streamsClient = null;
        }
        super.close();
    }

    /** A streams client that sees the rolled-over shards; shared and closed with the proxy. */
    public synchronized DynamoDbStreamsClient streamsClient() {
        if (streamsClient == null) {
            streamsClient = motoServer.configure(DynamoDbStreamsClient.builder(), endpoint()).build();
        }
        return streamsClient;
    }

    /**
     * Closes the stream's open shard after its last record so far and opens a child that continues it, as AWS does
     * every few hours; returns the child's shard id. Readers of the parent reach its end, then read nothing more.
     */
    public String rollover(String streamArn) {
        Lineage lineage = lineage(streamArn);
        synchronized (lineage) {
            BigInteger last = lastSequenceNumber(lineage);
            String child = lineage.rollover(last);
            LOG.info("Rolled over {}: shard {} closed at sequence number {}, child {}", streamArn,
                    lineage.shardIds.get(lineage.shardIds.size() - 2), last, child);
            return child;
        }
    }

    /**
     * Every shard iterator handed out so far answers ExpiredIteratorException from now on, as AWS does after 15
     * minutes; so does the NextShardIterator of a GetRecords call in flight, which continues an expired chain.
     */
    public void expireIterators() {
        iteratorEpoch.incrementAndGet();
    }

    /** The next {@code calls} GetRecords calls answer LimitExceededException (HTTP 400), as AWS does when overloaded. */
    public void throttleNextGetRecords(int calls) {
        throttleNext.set(calls);
    }

    /** How many ExpiredIteratorException answers were sent. */
    public int expiredAnswers() {
        return expiredAnswers.get();
    }

    /** How many LimitExceededException answers were sent. */
    public int throttledAnswers() {
        return throttledAnswers.get();
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------

    @Override
    protected void handle(HttpExchange exchange, byte[] body) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (target == null || !target.startsWith(STREAMS_TARGET)) {
            forward(exchange, body);
            return;
        }
        Answer answer;
        try {
            answer = answer(target.substring(STREAMS_TARGET.length()), JSON.readTree(body));
        } catch (MotoError e) {
            answer = new Answer(e.status, e.body);
        } catch (RuntimeException e) {
            LOG.error("stream rollover proxy failed on {}", target, e);
            answer = error(500, "InternalServerError", String.valueOf(e));
        }
        answer(exchange, answer.status, JSON_1_0, JSON.writeValueAsBytes(answer.body));
    }

    private Answer answer(String operation, JsonNode request) {
        switch (operation) {
            case "DescribeStream":
                return describeStream(request);
            case "GetShardIterator":
                return getShardIterator(request);
            case "GetRecords":
                return getRecords(request);
            default:
                // ListStreams and anything newer: moto's answer is already right.
                return new Answer(200, motoCall(operation, (ObjectNode) request));
        }
    }

    private Answer describeStream(JsonNode request) {
        String streamArn = request.path("StreamArn").asText();
        ObjectNode answer = (ObjectNode) motoCall("DescribeStream", JSON.createObjectNode().put("StreamArn", streamArn));
        ObjectNode description = (ObjectNode) answer.path("StreamDescription");
        if (!description.path("Shards").isArray() || description.path("Shards").isEmpty()) {
            return new Answer(200, answer); // No stream shard in moto (a disabled stream): nothing to reshape.
        }
        Lineage lineage = lineage(streamArn);
        int limit = request.path("Limit").asInt(DEFAULT_SHARD_PAGE);
        String startAfter = request.path("ExclusiveStartShardId").asText(null);
        ArrayNode shards = JSON.createArrayNode();
        description.remove("LastEvaluatedShardId");
        synchronized (lineage) {
            int from = startAfter == null ? 0 : lineage.shardIds.indexOf(startAfter) + 1;
            for (int k = from; k < lineage.shardIds.size(); k++) {
                if (shards.size() == limit) {
                    description.put("LastEvaluatedShardId", lineage.shardIds.get(k - 1));
                    break;
                }
                ObjectNode shard = shards.addObject().put("ShardId", lineage.shardIds.get(k));
                if (k > 0) {
                    shard.put("ParentShardId", lineage.shardIds.get(k - 1));
                }
                ObjectNode range = shard.putObject("SequenceNumberRange")
                        .put("StartingSequenceNumber", lineage.start(k).toString());
                if (lineage.closed(k)) {
                    range.put("EndingSequenceNumber", lineage.end(k).toString());
                }
            }
        }
        description.set("Shards", shards);
        return new Answer(200, answer);
    }

    private Answer getShardIterator(JsonNode request) {
        String streamArn = request.path("StreamArn").asText();
        Lineage lineage = lineage(streamArn);
        String type = request.path("ShardIteratorType").asText();
        synchronized (lineage) {
            int k = lineage.shardIds.indexOf(request.path("ShardId").asText());
            if (k < 0) {
                return error(400, "ResourceNotFoundException", "Requested resource not found: Shard does not exist");
            }
            BigInteger next;
            switch (type) {
                case "TRIM_HORIZON":
                    next = lineage.start(k);
                    break;
                case "LATEST":
                    next = (lineage.closed(k) ? lineage.end(k) : lastSequenceNumber(lineage)).add(BigInteger.ONE);
                    break;
                case "AT_SEQUENCE_NUMBER":
                case "AFTER_SEQUENCE_NUMBER":
                    BigInteger at = new BigInteger(request.path("SequenceNumber").asText());
                    if (at.compareTo(lineage.start(k)) < 0 || lineage.closed(k) && at.compareTo(lineage.end(k)) > 0) {
                        return error(400, "ValidationException", "Invalid SequenceNumber " + at + " for shard "
                                + lineage.shardIds.get(k));
                    }
                    next = type.equals("AT_SEQUENCE_NUMBER") ? at : at.add(BigInteger.ONE);
                    break;
                default:
                    return error(400, "ValidationException", "Invalid ShardIteratorType " + type);
            }
            String token = issue(new ProxyIterator(streamArn, k, next, null, iteratorEpoch.get()));
            return new Answer(200, JSON.createObjectNode().put("ShardIterator", token));
        }
    }

    private Answer getRecords(JsonNode request) {
        String token = request.path("ShardIterator").asText();
        ProxyIterator iterator = iterators.get(token);
        if (iterator == null) {
            return error(400, "ValidationException", "Invalid ShardIterator");
        }
        if (iterator.epoch < iteratorEpoch.get()) {
            expiredAnswers.incrementAndGet();
            return error(400, "ExpiredIteratorException", "Iterator expired. The iterator was created at epoch "
                    + iterator.epoch + " and has expired.");
        }
        if (throttleNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throttledAnswers.incrementAndGet();
            return error(400, "LimitExceededException", "Too many requests for this shard (injected by the proxy)");
        }
        int limit = request.path("Limit").asInt(1_000);
        Lineage lineage = lineage(iterator.streamArn);
        ObjectNode answer = JSON.createObjectNode();
        ArrayNode records = answer.putArray("Records");
        // The lineage stays locked through moto's answer: a rollover cannot cut the shard under a read in flight.
        synchronized (lineage) {
            BigInteger end = lineage.closed(iterator.shard) ? lineage.end(iterator.shard) : null;
            if (end != null && iterator.next.compareTo(end) > 0) {
                return new Answer(200, answer); // The end of a closed shard: no NextShardIterator.
            }
            int want = end == null ? limit : end.subtract(iterator.next).add(BigInteger.ONE).min(BigInteger.valueOf(limit))
                    .intValueExact();
            String motoIterator = iterator.motoIterator != null ? iterator.motoIterator
                    : motoIterator(lineage, "AT_SEQUENCE_NUMBER", iterator.next);
            JsonNode page = motoCall("GetRecords", JSON.createObjectNode()
                    .put("ShardIterator", motoIterator).put("Limit", want));
            BigInteger next = iterator.next;
            for (JsonNode record : page.path("Records")) {
                records.add(record);
                next = new BigInteger(record.path("dynamodb").path("SequenceNumber").asText()).add(BigInteger.ONE);
            }
            if (end == null || next.compareTo(end) <= 0) {
                answer.put("NextShardIterator", issue(new ProxyIterator(iterator.streamArn, iterator.shard, next,
                        page.path("NextShardIterator").asText(null), iterator.epoch)));
            }
        }
        return new Answer(200, answer);
    }

    // ---- moto ---------------------------------------------------------------------------------------------------

    private Lineage lineage(String streamArn) {
        return lineages.computeIfAbsent(streamArn, arn -> {
            JsonNode shards = motoCall("DescribeStream", JSON.createObjectNode().put("StreamArn", arn))
                    .path("StreamDescription").path("Shards");
            if (shards.size() != 1) {
                throw new IllegalStateException("expected moto's one stream shard for " + arn + ", got " + shards);
            }
            JsonNode shard = shards.get(0);
            return new Lineage(arn, shard.path("ShardId").asText(),
                    new BigInteger(shard.path("SequenceNumberRange").path("StartingSequenceNumber").asText()));
        });
    }

    /**
     * The sequence number of the stream's last record so far (one before the first when it has none), found by
     * doubling then halving probes of moto's dense numbering: about 2·log2(records) small requests.
     */
    private BigInteger lastSequenceNumber(Lineage lineage) {
        BigInteger present = lineage.start(lineage.shardIds.size() - 1).subtract(BigInteger.ONE);
        BigInteger step = BigInteger.ONE;
        while (exists(lineage, present.add(step))) {
            present = present.add(step);
            step = step.shiftLeft(1);
        }
        BigInteger absent = present.add(step);
        while (absent.subtract(present).compareTo(BigInteger.ONE) > 0) {
            BigInteger middle = present.add(absent).shiftRight(1);
            if (exists(lineage, middle)) {
                present = middle;
            } else {
                absent = middle;
            }
        }
        return present;
    }

    private boolean exists(Lineage lineage, BigInteger sequenceNumber) {
        JsonNode page = motoCall("GetRecords", JSON.createObjectNode()
                .put("ShardIterator", motoIterator(lineage, "AT_SEQUENCE_NUMBER", sequenceNumber)).put("Limit", 1));
        return page.path("Records").size() == 1;
    }

    private String motoIterator(Lineage lineage, String type, BigInteger sequenceNumber) {
        return motoCall("GetShardIterator", JSON.createObjectNode()
                .put("StreamArn", lineage.streamArn)
                .put("ShardId", lineage.motoShardId)
                .put("ShardIteratorType", type)
                .put("SequenceNumber", sequenceNumber.toString()))
                .path("ShardIterator").asText();
    }

    private JsonNode motoCall(String operation, ObjectNode request) {
        HttpRequest call = HttpRequest.newBuilder(target().resolve("/"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", JSON_1_0)
                .header("X-Amz-Target", STREAMS_TARGET + operation)
                .header("Authorization", motoAuthorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(writeBytes(request)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = send(call);
        } catch (IOException e) {
            throw new UncheckedIOException("moto did not answer " + operation, e);
        }
        JsonNode body = readTree(response.body());
        if (response.statusCode() != 200) {
            throw new MotoError(response.statusCode(), body);
        }
        return body;
    }

    private String issue(ProxyIterator iterator) {
        String token = iterator.streamArn + "|proxy|" + iteratorCounter.incrementAndGet();
        iterators.put(token, iterator);
        return token;
    }

    private static Answer error(int status, String type, String message) {
        return new Answer(status, JSON.createObjectNode().put("__type", ERROR_PREFIX + type).put("message", message));
    }

    private static byte[] writeBytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readTree(byte[] bytes) {
        try {
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("moto answered something that is not JSON", e);
        }
    }

    /** One stream as the proxy shows it: moto's shard cut into a chain at the rollover points. */
    private static final class Lineage {
        final String streamArn;
        final String motoShardId;
        final BigInteger first;
        final List<String> shardIds = new ArrayList<>();
        /** The last sequence number of each closed shard, in chain order. */
        final List<BigInteger> ends = new ArrayList<>();
        final long createdMillis = System.currentTimeMillis();

        Lineage(String streamArn, String motoShardId, BigInteger first) {
            this.streamArn = streamArn;
            this.motoShardId = motoShardId;
            this.first = first;
            shardIds.add(motoShardId);
        }

        BigInteger start(int k) {
            return k == 0 ? first : ends.get(k - 1).add(BigInteger.ONE);
        }

        boolean closed(int k) {
            return k < ends.size();
        }

        BigInteger end(int k) {
            return ends.get(k);
        }

        String rollover(BigInteger last) {
            ends.add(last);
            // Shaped like AWS's ids: shardId-<20 digits>-<8 hex>.
            String child = String.format(Locale.ROOT, "shardId-%020d-%08x", createdMillis, shardIds.size());
            shardIds.add(child);
            return child;
        }
    }

    private static final class ProxyIterator {
        final String streamArn;
        final int shard;
        /** The sequence number of the next record to read. */
        final BigInteger next;
        /** moto's iterator at {@link #next}, when a previous page left one. */
        final String motoIterator;
        final int epoch;

        ProxyIterator(String streamArn, int shard, BigInteger next, String motoIterator, int epoch) {
            this.streamArn = streamArn;
            this.shard = shard;
            this.next = next;
            this.motoIterator = motoIterator;
            this.epoch = epoch;
        }
    }

    private static final class Answer {
        final int status;
        final JsonNode body;

        Answer(int status, JsonNode body) {
            this.status = status;
            this.body = body;
        }
    }

    /** moto answered with an error: passed on to the client as it is. */
    private static final class MotoError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final transient JsonNode body;

        MotoError(int status, JsonNode body) {
            super("moto answered " + status + ": " + body);
            this.status = status;
            this.body = body;
        }
    }
}
