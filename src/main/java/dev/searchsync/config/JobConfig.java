package dev.searchsync.config;


import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/** Everything a deployment of searchsync is configured with, validated as a whole before the job is built. */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long MIB = 1024 * 1024;
    /** An upper bound of one action's metadata line: index name up to 255 bytes, id up to 512, version. */
    private static final long ACTION_LINE_BYTES = 1024;

    /** Every option of every group; docs/configuration.md must describe each (a test checks it). */
    public static final List<Option<?>> ALL_OPTIONS;

    static {
        List<Option<?>> all = new ArrayList<>(SourceOptions.ALL);
        all.addAll(EventOptions.ALL);
        all.addAll(LogsOptions.ALL);
        all.addAll(LoadOptions.ALL);
        all.addAll(IndexOptions.ALL);
        all.addAll(OpenSearchOptions.ALL);
        all.addAll(SyncOptions.ALL);
        all.addAll(DeadLetterOptions.ALL);
        ALL_OPTIONS = Collections.unmodifiableList(all);
    }

    private final SourceConfig source;
    private final EventConfig events;
    private final LogsConfig logs;
    private final LoadConfig load;
    private final IndexConfig index;
    private final OpenSearchConfig opensearch;
    private final Duration stateTtl;
    private final String tableName;
    private final DeadLetterConfig deadLetters;

    private JobConfig(SourceConfig source, EventConfig events, LogsConfig logs, LoadConfig load, IndexConfig index,
            OpenSearchConfig opensearch, Duration stateTtl, String tableName, DeadLetterConfig deadLetters) {
        this.source = source;
        this.events = events;
        this.logs = logs;
        this.load = load;
        this.index = index;
        this.opensearch = opensearch;
        this.stateTtl = stateTtl;
        this.tableName = tableName;
        this.deadLetters = deadLetters;
    }

    /**
     * Validates {@code groups}.
     *
     * @throws InvalidConfigurationException naming every bad group, key and value, and what was expected
     */
    public static JobConfig from(PropertyGroups groups) {
        ConfigReader reader = new ConfigReader(groups);
        reader.rejectUnknown(ALL_OPTIONS);
        SourceConfig source = SourceConfig.read(reader);
        boolean kinesis = SourceConfig.KINESIS.equals(source.type());
        boolean cloudWatchLogs = SourceConfig.CLOUDWATCH_LOGS.equals(source.type());
        EventConfig events = EventConfig.read(reader, kinesis, source.type());
        LogsConfig logs = LogsConfig.read(reader, cloudWatchLogs, source.type());
        LoadConfig load = LoadConfig.read(reader, !kinesis && !cloudWatchLogs, source.type(), source.settings());
        String tableName = source.inputName();
        IndexConfig index = cloudWatchLogs
                ? IndexConfig.read(reader, tableName, LogsOptions.DEFAULT_INDEX, LogsOptions.DEFAULT_MAPPING)
                : IndexConfig.read(reader, tableName);
        checkIndexName(reader, index, kinesis || cloudWatchLogs, cloudWatchLogs, events);
        OpenSearchConfig opensearch = OpenSearchConfig.read(reader);
        Duration stateTtl = Duration.ofHours(reader.value(SyncOptions.STATE_TTL_HOURS));
        DeadLetterConfig deadLetters = DeadLetterConfig.read(reader);
        checkRequestSize(reader);
        reader.throwIfInvalid();
        return new JobConfig(source, events, logs, load, index, opensearch, stateTtl, tableName, deadLetters);
    }

    /**
     * An event-time index name gives one index per period: fine for events appended once, wrong for documents
     * that change, whose later changes would land in another index than the document.
     *
     * @param appendable whether the input can append events (Kinesis events without ids, CloudWatch Logs)
     * @param logGroups  whether events have log groups (CloudWatch Logs)
     */
    private static void checkIndexName(ConfigReader reader, IndexConfig index, boolean appendable, boolean logGroups,
            EventConfig events) {
        Optional<IndexName> name = index.name().flatMap(IndexName::parse);
        if (name.isEmpty() || !name.get().isPattern()) {
            return;
        }
        if (name.get().usesLogGroup() && !logGroups) {
            reader.problem(IndexOptions.NAME, "expected no " + IndexName.LOG_GROUP + ": only"
                    + " source/type=cloudwatch-logs events have a log group");
            return;
        }
        if (!appendable) {
            reader.problem(IndexOptions.NAME, "expected a fixed index name: a table's documents change, so each"
                    + " must stay in one index (an event-time pattern is for source/type=cloudwatch-logs, or"
                    + " kinesis without events/id.field)");
        } else if (events.idField().isPresent()) {
            reader.problem(IndexOptions.NAME, "expected a fixed index name with events/id.field: a document's"
                    + " later events would land in another index than the document (an event-time pattern is for"
                    + " appended events, without events/id.field)");
        }
        if (index.alias().isPresent()) {
            reader.problem(IndexOptions.ALIAS, "expected no alias with an index name pattern: each event picks"
                    + " its index by its time (or log group), while an alias writes to one index");
        }
    }

    /**
     * A bulk is sent only once it holds {@code bulk.max.size.mb}, so the document that tips it over adds up to
     * {@code max.document.bytes}; and the client counts 50 bytes of each action's metadata line (index, id,
     * version), which can take up to about 1 KiB. Together they must fit the request payload limit, or OpenSearch
     * refuses the whole bulk with 413 on every retry. Checked only when all four values are valid.
     */
    private static void checkRequestSize(ConfigReader reader) {
        Optional<Integer> bulkMiB = reader.get(OpenSearchOptions.BULK_MAX_SIZE_MB);
        Optional<Integer> actions = reader.get(OpenSearchOptions.BULK_MAX_ACTIONS);
        Optional<Integer> documentBytes = reader.get(IndexOptions.MAX_DOCUMENT_BYTES);
        Optional<Integer> limitMiB = reader.get(OpenSearchOptions.REQUEST_MAX_SIZE_MB);
        if (bulkMiB.isEmpty() || actions.isEmpty() || documentBytes.isEmpty() || limitMiB.isEmpty()) {
            return;
        }
        long largest = bulkMiB.get() * MIB + documentBytes.get() + actions.get() * ACTION_LINE_BYTES;
        long limit = limitMiB.get() * MIB;
        if (largest > limit) {
            reader.problem(OpenSearchOptions.GROUP, "bulk.max.size.mb (" + bulkMiB.get() + " MiB) + index/"
                    + "max.document.bytes (" + documentBytes.get() + " bytes) + 1 KiB for each of bulk.max.actions ("
                    + actions.get() + ") is " + largest + " bytes, more than request.max.size.mb (" + limitMiB.get()
                    + " MiB, " + limit + " bytes), expected the sum within request.max.size.mb: a bulk is sent"
                    + " only once it holds bulk.max.size.mb, so the document that tips it over adds up to"
                    + " max.document.bytes, and each action's metadata line (up to about 1 KiB) comes on top."
                    + " Lower one of them, or set request.max.size.mb to the cluster's limit (10 MiB on the"
                    + " smallest Amazon OpenSearch Service instance types, 100 MiB on most others)");
        }
    }

    public SourceConfig source() {
        return source;
    }

    /** What the fields of a JSON event mean (the {@code kinesis} input). */
    public EventConfig events() {
        return events;
    }

    /** How log events become documents (the {@code cloudwatch-logs} input). */
    public LogsConfig logs() {
        return logs;
    }

    /** Whether and how the table's items are loaded (the {@code dynamodb-streams} input). */
    public LoadConfig load() {
        return load;
    }

    public IndexConfig index() {
        return index;
    }

    public OpenSearchConfig opensearch() {
        return opensearch;
    }

    /** How long per-document order state outlives a document's last change. */
    public Duration stateTtl() {
        return stateTtl;
    }

    /** Where changes that cannot be indexed are kept. */
    public DeadLetterConfig deadLetters() {
        return deadLetters;
    }

    /** The input's name: the source table's, or the Kinesis stream's. */
    public String tableName() {
        return tableName;
    }

    /** The index documents go to, fixed or by event time: {@code index/alias} when set, else the index name. */
    public IndexName writeTargetName() {
        return index.alias().map(IndexName::fixed).orElseGet(() -> IndexName.parse(indexName()).orElseThrow());
    }

    /** The OpenSearch index the table is synced into. */
    public String indexName() {
        return index.indexName(tableName);
    }

    /** The name documents are written to: {@code index/alias} when set, else the index name. */
    public String writeTarget() {
        return index.writeTarget(tableName);
    }

    @Override
    public String toString() {
        return "JobConfig{" + source + (events.idField().isPresent() || SourceConfig.KINESIS.equals(source.type())
                ? ", " + events : "") + (SourceConfig.CLOUDWATCH_LOGS.equals(source.type()) ? ", " + logs : "")
                + (load.enabled() ? ", " + load : "") + ", " + index + ", " + opensearch + ", stateTtl=" + stateTtl + ", "
                + deadLetters + '}';
    }
}
