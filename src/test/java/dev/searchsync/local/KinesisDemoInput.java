package dev.searchsync.local;

import dev.searchsync.testbed.KinesisEmulator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's Kinesis input ({@code --kinesis}): kinesis-local with stream {@code demo-events}, fed by a
 * {@link KinesisDemoWriter}, read on the APPEND lane into one index per day of the events' {@code at}.
 */
final class KinesisDemoInput implements DemoInput {
    static final String INDEX_PATTERN = "demo-events-{yyyy.MM.dd}";
    static final String DOCUMENTS = "demo-events-*";
    static final Path MAPPING = Path.of("job", "index-templates", "demo-events.json");
    /** The source's vertex, whose exported millisBehindLatest the progress line shows. */
    static final String SOURCE_OPERATOR = "Kinesis stream";

    private volatile KinesisEmulator kinesis;

    @Override
    public String emulatorName() {
        return "kinesis-local";
    }

    @Override
    public void start() {
        kinesis = new KinesisEmulator();
        kinesis.start();
        kinesis.client().createStream(b -> b.streamName(KinesisDemoWriter.STREAM).shardCount(KinesisDemoWriter.SHARDS));
        kinesis.waiter().waitUntilStreamExists(b -> b.streamName(KinesisDemoWriter.STREAM));
    }

    @Override
    public void addGroups(Map<String, Map<String, String>> groups) {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("type", "kinesis");
        source.put("stream.name", KinesisDemoWriter.STREAM);
        source.put("aws.endpoint", kinesis.endpoint().toString());
        source.put("aws.region", kinesis.region());
        source.put("aws.credentials.provider", "STATIC");
        source.put("aws.access.key.id", kinesis.accessKey());
        source.put("aws.secret.access.key", kinesis.secretKey());
        source.put("start.position", "TRIM_HORIZON");
        groups.put("source", source);
        Map<String, String> index = new LinkedHashMap<>();
        index.put("name", INDEX_PATTERN);
        index.put("mapping", MAPPING.toString());
        groups.put("index", index);
        // No id.field: the APPEND lane, the only one that may write to an event-time index name.
        groups.put("events", Map.of("timestamp.field", "/" + KinesisDemoWriter.TIMESTAMP_FIELD));
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
        return new KinesisDemoWriter(kinesis.client(), options.unitsPerSecond, options.poisonEvery, System.nanoTime());
    }

    @Override
    public String progress(PacedWriter writer, long previous) {
        KinesisDemoWriter events = (KinesisDemoWriter) writer;
        long written = events.written();
        return String.format(Locale.ROOT, "written %,d events (+%d) in %,d records", written, written - previous,
                events.records());
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
    public List<Integer> ports() {
        return List.of(kinesis.port());
    }

    @Override
    public boolean isRunning() {
        return kinesis != null && kinesis.isRunning();
    }

    @Override
    public void printEmulator(PrintStream out) {
        out.println("  kinesis-local    " + kinesis.endpoint() + "   stream " + KinesisDemoWriter.STREAM + " ("
                + KinesisDemoWriter.SHARDS + " shards), region " + kinesis.region() + ", access key "
                + kinesis.accessKey() + " / secret " + kinesis.secretKey());
    }

    @Override
    public void printWriting(PrintStream out, LocalDemo.Options options) {
        out.printf(Locale.ROOT, "Writing ~%.0f events/s, each record one of: a JSON event, NDJSON, gzip NDJSON, or a"
                + " KPL-aggregated record; each event goes to the index of its day (field \"%s\", UTC).%n",
                options.unitsPerSecond, KinesisDemoWriter.TIMESTAMP_FIELD);
        if (options.poisonEvery > 0) {
            out.printf(Locale.ROOT, "After about every %,d events comes a poison record (JSON cut short) that the job"
                    + " cannot decode: it becomes a dead letter, and the job goes on.%n", options.poisonEvery);
        }
    }

    @Override
    public void close() {
        if (kinesis != null) {
            kinesis.close();
        }
    }
}
