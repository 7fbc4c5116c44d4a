package dev.searchsync.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.searchsync.events.KplRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * Puts a steady stream of application events into the demo stream {@code demo-events}, each record in one of the
 * shapes producers use (a single JSON event, NDJSON, gzip NDJSON, a KPL-aggregated record of such), so the demo shows
 * every format the Kinesis input decodes. Each event has an {@code at} time, the field the index's day comes from.
 *
 * <p>Now and then a record is poison: JSON cut short, which the job cannot decode and writes as a dead letter while
 * the records around it are indexed.
 */
public final class KinesisDemoWriter extends PacedWriter {
    public static final String STREAM = "demo-events";
    public static final int SHARDS = 2;
    /** The field of each event holding its time; {@code events/timestamp.field} points at it. */
    public static final String TIMESTAMP_FIELD = "at";
    /** Data of every poison record: not JSON, so it fails at the DECODE stage. */
    public static final String POISON_DATA = "{\"at\": \"not finished\", \"kind\": \"click\", ";
    private static final String[] KINDS = {"page_view", "page_view", "page_view", "click", "click", "search",
        "add_to_cart", "purchase"};
    private static final String[] PATHS = {"/", "/search", "/products/42", "/products/7", "/cart", "/checkout"};
    private static final int USERS = 200;
    /** The first poison record comes early, so the demo shows a dead letter within its first minute. */
    private static final long FIRST_POISON_AT = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How a record carries its events. */
    public enum Shape { JSON, NDJSON, GZIP_NDJSON, KPL }

    private final KinesisClient client;
    private final long poisonEvery;
    private final Random random;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong poison = new AtomicLong();
    private long nextPoisonAt = FIRST_POISON_AT;

    /**
     * @param poisonEvery about one event in this many is followed by a poison record (the first after event
     *     {@value #FIRST_POISON_AT}); 0 writes none
     */
    public KinesisDemoWriter(KinesisClient client, double eventsPerSecond, long poisonEvery, long seed) {
        super("kinesis-demo-writer", eventsPerSecond);
        this.client = client;
        this.poisonEvery = poisonEvery;
        this.random = new Random(seed);
    }

    /** Events written so far (in valid records). */
    @Override
    public long written() {
        return written.get();
    }

    public long records() {
        return records.get();
    }

    public long poisonRecords() {
        return poison.get();
    }

    @Override
    protected int writeOne() {
        if (poisonEvery > 0 && written.get() >= nextPoisonAt) {
            put("poison", KplRecords.utf8(POISON_DATA));
            poison.incrementAndGet();
            nextPoisonAt += poisonEvery;
            return 1;
        }
        String user = user();
        Shape shape = Shape.values()[random.nextInt(Shape.values().length)];
        int events;
        switch (shape) {
            case JSON:
                events = 1;
                put(user, KplRecords.utf8(event(user, shape)));
                break;
            case NDJSON:
                events = 2 + random.nextInt(4);
                put(user, KplRecords.utf8(ndjson(user, shape, events)));
                break;
            case GZIP_NDJSON:
                events = 2 + random.nextInt(4);
                put(user, KplRecords.gzip(ndjson(user, shape, events)));
                break;
            default:
                // As the KPL packs small user records: each sub-record with its own partition key, some gzipped.
                int subRecords = 2 + random.nextInt(3);
                List<String> keys = new ArrayList<>();
                List<byte[]> datas = new ArrayList<>();
                for (int i = 0; i < subRecords; i++) {
                    String subUser = user();
                    keys.add(subUser);
                    String event = event(subUser, shape);
                    datas.add(i % 2 == 0 ? KplRecords.utf8(event) : KplRecords.gzip(event));
                }
                events = subRecords;
                put(user, KplRecords.aggregate(keys, datas));
                break;
        }
        written.addAndGet(events);
        return events;
    }

    private void put(String partitionKey, byte[] data) {
        client.putRecord(b -> b.streamName(STREAM).partitionKey(partitionKey).data(SdkBytes.fromByteArray(data)));
        records.incrementAndGet();
    }

    private String ndjson(String user, Shape shape, int events) {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < events; i++) {
            lines.append(event(user, shape)).append('\n');
        }
        return lines.toString();
    }

    /** One event; {@code at} is epoch milliseconds or ISO-8601 text, both of which the job reads. */
    private String event(String user, Shape shape) {
        long at = System.currentTimeMillis() - random.nextInt(2_000);
        String kind = KINDS[random.nextInt(KINDS.length)];
        ObjectNode event = JSON.createObjectNode();
        if (random.nextBoolean()) {
            event.put(TIMESTAMP_FIELD, at);
        } else {
            event.put(TIMESTAMP_FIELD, Instant.ofEpochMilli(at).toString());
        }
        event.put("kind", kind).put("user", user).put("path", PATHS[random.nextInt(PATHS.length)])
                .put("durationMs", random.nextInt(3_000)).put("format", shape.name().toLowerCase(Locale.ROOT));
        if ("purchase".equals(kind)) {
            event.put("amount", (500 + random.nextInt(50_000)) / 100.0);
        }
        return event.toString();
    }

    private String user() {
        return String.format("user-%03d", random.nextInt(USERS));
    }
}
