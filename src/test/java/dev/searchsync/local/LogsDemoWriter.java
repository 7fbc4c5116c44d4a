package dev.searchsync.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;

/**
 * Puts application log lines into the demo log group {@code /demo/app} through the Logs API (PutLogEvents batches to
 * two log streams), so they travel as they do on AWS: through the subscription filter into the Kinesis stream the job
 * reads. Lines are plain text or JSON objects; a few JSON lines carry many different keys ({@code flags.*} from a large
 * space of names), which the job's field budget ({@code logs/json.max.fields}) stops from growing the index's mapping
 * without end: past it, such messages stay text in {@code @message}.
 */
public final class LogsDemoWriter extends PacedWriter {
    public static final String LOG_GROUP = "/demo/app";
    public static final List<String> LOG_STREAMS = List.of("api-1", "api-2");
    /** Distinct key names the wide JSON lines draw from: far more than the default field budget of 500. */
    static final int FLAG_NAMES = 5_000;
    private static final String[] PATHS = {"/", "/search", "/products/42", "/products/7", "/cart", "/checkout"};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT"};
    private static final int[] STATUSES = {200, 200, 200, 200, 201, 304, 404, 500};
    private static final int USERS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CloudWatchLogsClient client;
    private final Random random;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong jsonLines = new AtomicLong();
    private final AtomicLong wideLines = new AtomicLong();

    public LogsDemoWriter(CloudWatchLogsClient client, double eventsPerSecond, long seed) {
        super("logs-demo-writer", eventsPerSecond);
        this.client = client;
        this.random = new Random(seed);
    }

    /** Log events put so far. */
    @Override
    public long written() {
        return written.get();
    }

    /** PutLogEvents calls so far; moto's subscription filter makes each one Kinesis record. */
    public long batches() {
        return batches.get();
    }

    public long jsonLines() {
        return jsonLines.get();
    }

    public long wideLines() {
        return wideLines.get();
    }

    @Override
    protected int writeOne() {
        String logStream = LOG_STREAMS.get((int) (batches.get() % LOG_STREAMS.size()));
        int size = 5 + random.nextInt(11);
        // PutLogEvents wants a batch in time order.
        long now = System.currentTimeMillis() - size;
        List<InputLogEvent> events = new ArrayList<>(size);
        long json = 0;
        long wide = 0;
        for (int i = 0; i < size; i++) {
            int shape = random.nextInt(10);
            String message;
            if (shape < 5) {
                message = textLine();
            } else if (shape < 9) {
                message = jsonLine().toString();
                json++;
            } else {
                message = wideJsonLine().toString();
                json++;
                wide++;
            }
            events.add(InputLogEvent.builder().timestamp(now + i).message(message).build());
        }
        client.putLogEvents(b -> b.logGroupName(LOG_GROUP).logStreamName(logStream).logEvents(events));
        batches.incrementAndGet();
        written.addAndGet(size);
        jsonLines.addAndGet(json);
        wideLines.addAndGet(wide);
        return size;
    }

    private String textLine() {
        int status = STATUSES[random.nextInt(STATUSES.length)];
        return String.format("%s %s %s %d %dms %s", status >= 500 ? "ERROR" : "INFO",
                METHODS[random.nextInt(METHODS.length)], PATHS[random.nextInt(PATHS.length)], status,
                random.nextInt(800), user());
    }

    private ObjectNode jsonLine() {
        int status = STATUSES[random.nextInt(STATUSES.length)];
        ObjectNode line = JSON.createObjectNode();
        line.put("level", status >= 500 ? "ERROR" : "INFO").put("msg", "request handled").put("user", user())
                .put("path", PATHS[random.nextInt(PATHS.length)]).put("status", status)
                .put("durationMs", random.nextInt(800));
        return line;
    }

    /** A JSON line with a dozen or more feature flags picked from {@value #FLAG_NAMES} names. */
    private ObjectNode wideJsonLine() {
        ObjectNode line = JSON.createObjectNode();
        line.put("level", "DEBUG").put("msg", "feature flags evaluated").put("user", user());
        ObjectNode flags = line.putObject("flags");
        int count = 12 + random.nextInt(13);
        for (int i = 0; i < count; i++) {
            flags.put(String.format("flag_%04d", random.nextInt(FLAG_NAMES)), random.nextBoolean());
        }
        return line;
    }

    private String user() {
        return String.format("user-%03d", random.nextInt(USERS));
    }
}
