package dev.searchsync.local;

import dev.searchsync.testbed.MotoServer;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.kinesis.KinesisClient;

/**
 * The demo's CloudWatch Logs input ({@code --logs}): moto with log group {@code /demo/app}, whose subscription filter
 * sends every log event to the Kinesis stream {@code demo-logs} the job reads, fed by a {@link LogsDemoWriter}; the
 * job keeps its defaults for logs (index {@code cwl-{yyyy.MM.dd}} from the jar's template).
 */
final class CloudWatchLogsDemoInput implements DemoInput {
    static final String STREAM = "demo-logs";
    static final int SHARDS = 2;
    static final String FILTER = "to-searchsync";
    static final String DOCUMENTS = "cwl-*";
    /** The job's default index for logs; the properties leave {@code index/name} out to show it. */
    static final String INDEX_PATTERN = "cwl-{yyyy.MM.dd}";
    static final String SOURCE_OPERATOR = "CloudWatch Logs via Kinesis";
    /** moto's Kinesis speaks JSON only; the SDK reads this when a Kinesis client is built. */
    static final String CBOR_PROPERTY = "aws.cborEnabled";

    private volatile MotoServer moto;
    private volatile KinesisClient kinesis;
    private volatile CloudWatchLogsClient logs;

    @Override
    public String emulatorName() {
        return "moto";
    }

    @Override
    public void start() {
        if (!"false".equals(System.getProperty(CBOR_PROPERTY))) {
            throw new IllegalStateException("The logs demo needs the JVM option -D" + CBOR_PROPERTY + "=false (moto's"
                    + " Kinesis speaks JSON only); ./job/run-local --logs sets it");
        }
        moto = new MotoServer();
        moto.start();
        kinesis = moto.configure(KinesisClient.builder(), moto.endpoint()).build();
        logs = moto.configure(CloudWatchLogsClient.builder(), moto.endpoint()).build();
        kinesis.createStream(b -> b.streamName(STREAM).shardCount(SHARDS));
        kinesis.waiter().waitUntilStreamExists(b -> b.streamName(STREAM));
        String streamArn = kinesis.describeStreamSummary(b -> b.streamName(STREAM)).streamDescriptionSummary()
                .streamARN();
        logs.createLogGroup(b -> b.logGroupName(LogsDemoWriter.LOG_GROUP));
        for (String logStream : LogsDemoWriter.LOG_STREAMS) {
            logs.createLogStream(b -> b.logGroupName(LogsDemoWriter.LOG_GROUP).logStreamName(logStream));
        }
        // An empty pattern sends every event; moto accepts any role, AWS needs one that may put to the stream.
        logs.putSubscriptionFilter(b -> b.logGroupName(LogsDemoWriter.LOG_GROUP).filterName(FILTER).filterPattern("")
                .destinationArn(streamArn).roleArn("arn:aws:iam::123456789012:role/cwl-to-kinesis"));
    }

    @Override
    public void addGroups(Map<String, Map<String, String>> groups) {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("type", "cloudwatch-logs");
        source.put("stream.name", STREAM);
        source.put("aws.endpoint", moto.endpoint().toString());
        source.put("aws.region", moto.region());
        source.put("aws.credentials.provider", "STATIC");
        source.put("aws.access.key.id", moto.accessKey());
        source.put("aws.secret.access.key", moto.secretKey());
        source.put("start.position", "TRIM_HORIZON");
        groups.put("source", source);
        // No index group: the logs defaults (cwl-{yyyy.MM.dd}, the jar's cloudwatch-logs.json template) apply.
        groups.put("logs", Map.of("json.max.fields", "500"));
    }

    @Override
    public String documents() {
        return DOCUMENTS;
    }

    @Override
    public String documentsLabel() {
        return "indices " + DOCUMENTS;
    }

    @Override
    public PacedWriter writer(LocalDemo.Options options) {
        return new LogsDemoWriter(logs, options.unitsPerSecond, System.nanoTime());
    }

    @Override
    public String progress(PacedWriter writer, long previous) {
        LogsDemoWriter events = (LogsDemoWriter) writer;
        long written = events.written();
        return String.format(Locale.ROOT, "written %,d log events (+%d) in %,d PutLogEvents", written,
                written - previous, events.batches());
    }

    @Override
    public String lagOperator() {
        return SOURCE_OPERATOR;
    }

    @Override
    public String lagMetric() {
        return "millisBehindLatest";
    }

    @Override
    public String lagExplained() {
        return "Lag is the source's millisBehindLatest: how far behind the newest record of the stream its reading is.";
    }

    @Override
    public String jobCommandPrefix() {
        return "RUN_LOCAL_JAVA_OPTS=-D" + CBOR_PROPERTY + "=false ";
    }

    @Override
    public List<Integer> ports() {
        return List.of(moto.port());
    }

    @Override
    public boolean isRunning() {
        return moto != null && moto.isRunning();
    }

    @Override
    public void printEmulator(PrintStream out) {
        out.println("  moto (Logs)      " + moto.endpoint() + "   log group " + LogsDemoWriter.LOG_GROUP + " (streams "
                + String.join(", ", LogsDemoWriter.LOG_STREAMS) + "), subscription filter " + FILTER
                + " to Kinesis stream " + STREAM + " (" + SHARDS + " shards), region " + moto.region()
                + ", access key " + moto.accessKey() + " / secret " + moto.secretKey());
    }

    @Override
    public void printWriting(PrintStream out, LocalDemo.Options options) {
        out.printf(Locale.ROOT, "Writing ~%.0f log events/s in PutLogEvents batches: plain text lines and JSON objects,"
                + " each to the index of its UTC day (%s). JSON messages are also indexed as fields under @json.%n",
                options.unitsPerSecond, INDEX_PATTERN);
        out.printf(Locale.ROOT, "One event in ten is JSON with a dozen or more keys from %,d flag names: past the"
                + " field budget (logs/json.max.fields, 500) such messages stay text in @message; the dashboard's"
                + " \"To actions\" counts them (jsonMessagesOverBudget).%n", LogsDemoWriter.FLAG_NAMES);
    }

    @Override
    public void close() {
        if (kinesis != null) {
            kinesis.close();
        }
        if (logs != null) {
            logs.close();
        }
        if (moto != null) {
            moto.close();
        }
    }
}
