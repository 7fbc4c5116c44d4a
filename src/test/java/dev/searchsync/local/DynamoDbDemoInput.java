package dev.searchsync.local;

import dev.searchsync.testbed.MotoServer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The demo's default input: moto with table {@code demo-orders} and its stream, fed by a {@link DemoWriter}. */
final class DynamoDbDemoInput implements DemoInput {
    static final String INDEX = "demo-orders";
    static final Path MAPPING = Path.of("job", "index-templates", "demo-orders.json");
    /** The operator whose gauge {@code lagMillis} the progress line shows. */
    static final String ORDER_OPERATOR = "Order and version";

    private volatile MotoServer moto;

    @Override
    public String emulatorName() {
        return "moto";
    }

    @Override
    public void start() {
        moto = new MotoServer();
        moto.start();
        moto.createTableWithStream(DemoWriter.TABLE, DemoWriter.PARTITION_KEY, DemoWriter.SORT_KEY);
    }

    @Override
    public void addGroups(Map<String, Map<String, String>> groups) {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("table.name", DemoWriter.TABLE);
        source.put("aws.endpoint", moto.endpoint().toString());
        source.put("aws.region", moto.region());
        source.put("aws.credentials.provider", "STATIC");
        source.put("aws.access.key.id", moto.accessKey());
        source.put("aws.secret.access.key", moto.secretKey());
        source.put("start.position", "TRIM_HORIZON");
        groups.put("source", source);
        Map<String, String> index = new LinkedHashMap<>();
        index.put("name", INDEX);
        index.put("mapping", MAPPING.toString());
        groups.put("index", index);
    }

    @Override
    public String documents() {
        return INDEX;
    }

    @Override
    public String documentsLabel() {
        return "index";
    }

    @Override
    public PacedWriter writer(LocalDemo.Options options) {
        return new DemoWriter(moto.client(), options.orders, options.unitsPerSecond, options.poisonEvery,
                System.nanoTime());
    }

    @Override
    public String progress(PacedWriter writer, long previous) {
        DemoWriter.Counts counts = ((DemoWriter) writer).counts();
        return String.format(Locale.ROOT, "written %,d changes (+%d) | table %,d items",
                counts.written(), counts.written() - previous, counts.items());
    }

    @Override
    public String lagOperator() {
        return ORDER_OPERATOR;
    }

    @Override
    public String lagMetric() {
        return "lagMillis";
    }

    @Override
    public String lagExplained() {
        return "Lag is the job's lagMillis gauge: how old the last applied change was when it was applied.";
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
        out.println("  moto (DynamoDB)  " + moto.endpoint() + "   table " + DemoWriter.TABLE + ", region "
                + moto.region() + ", access key " + moto.accessKey() + " / secret " + moto.secretKey());
    }

    @Override
    public void printWriting(PrintStream out, LocalDemo.Options options) {
        out.printf(Locale.ROOT, "Writing ~%.0f changes/s over %,d orders: a missing order is inserted; an existing one"
                + " is replaced (PutItem, 40%%), updated (UpdateItem, 45%%) or deleted (15%%).%n",
                options.unitsPerSecond, options.orders);
        if (options.poisonEvery > 0) {
            out.printf(Locale.ROOT, "One change in %,d is a poison order (customer %s, quantity \"two, please\") that the"
                    + " index's strict mapping refuses: it becomes a dead letter, and the job goes on.%n",
                    options.poisonEvery, DemoWriter.POISON_CUSTOMER);
        }
    }

    @Override
    public void close() {
        if (moto != null) {
            moto.close();
        }
    }
}
