package dev.searchsync;

import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.DynamoDbChangeMapper;
import dev.searchsync.cdc.dynamodb.DynamoDbStreamsSource;
import dev.searchsync.cdc.dynamodb.KeySchemaSource;
import dev.searchsync.cdc.dynamodb.load.DynamoDbTableScanner;
import dev.searchsync.cdc.dynamodb.load.TableLoadSource;
import dev.searchsync.config.JobConfig;
import dev.searchsync.config.LoadConfig;
import dev.searchsync.config.PropertyGroups;
import dev.searchsync.deadletter.DeadLetterSinks;
import dev.searchsync.deadletter.DeadLetterWriter;
import dev.searchsync.deadletter.RedriveSource;
import dev.searchsync.events.KinesisEventMapper;
import dev.searchsync.job.Input;
import dev.searchsync.job.Lane;
import dev.searchsync.job.ToActions;
import dev.searchsync.logs.cloudwatch.CloudWatchLogsMapper;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failures;
import dev.searchsync.opensearch.IndexBootstrap;
import dev.searchsync.opensearch.OpenSearchSinks;
import dev.searchsync.ordering.DocumentKey;
import dev.searchsync.ordering.OrderAndVersion;
import dev.searchsync.source.kinesis.KinesisRecord;
import dev.searchsync.source.kinesis.KinesisSource;
import dev.searchsync.validate.DocumentLimits;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * searchsync, read as its diagram:
 *
 * <pre>
 * input's source ──┬► to actions ─┬─ VERSIONED: keyBy document ─► order and version ─┬► OpenSearch ─┐
 * redriven records ┘    │         └─ APPEND ─────────────────────────────────────────┘             │
 * redriven actions ─────┼──────────► (into the keyBy)                                              │
 *                       └──────────┴─► failures ─► dead letters ◄───── refused actions ───────────┘
 * </pre>
 *
 * One input per job. The production ends come from the configuration ({@link #fromConfig}); a test replaces only
 * the end it needs with {@code with...}, and runs the same pipeline otherwise.
 */
public final class SearchSyncJob<T> {
    private static final Logger LOG = LoggerFactory.getLogger(SearchSyncJob.class);

    public static final String CONVERT_UID = "convert-to-documents";
    public static final String ORDER_UID = "order-and-version";
    public static final String SINK_UID = "opensearch-sink";
    /**
     * The number of key groups the keyed state is split into, fixed for the life of the job's state: a snapshot
     * restores only at the max parallelism it was taken with, and parallelism can never exceed it. Flink would
     * otherwise derive 128 from a parallelism up to 85, and a later scaling past 128 (by hand, or by MSF's
     * autoscaling) could not restore. 4096 leaves room far past MSF's default quota (64 KPUs x 8 per KPU = 512),
     * shares key groups evenly (within 1% up to parallelism 40, within 1 in 8 up to 512), and costs little: one more
     * byte of key-group prefix per RocksDB key (as any value above 128) and per-key-group structures, such as timer
     * caches, for 4096 / parallelism key groups per subtask. See docs/deploy.md, "Sizing".
     */
    public static final int MAX_PARALLELISM = 4096;

    private final Input<T> input;
    private final DocumentLimits limits;
    private final OrderAndVersion order;
    private final Sink<DocumentAction> index;
    private final FailureOutput failures;
    private final String redrivePath;

    private SearchSyncJob(Input<T> input, DocumentLimits limits, OrderAndVersion order, Sink<DocumentAction> index,
            FailureOutput failures, String redrivePath) {
        this.input = Objects.requireNonNull(input);
        this.limits = Objects.requireNonNull(limits);
        this.order = Objects.requireNonNull(order);
        this.index = Objects.requireNonNull(index);
        this.failures = Objects.requireNonNull(failures);
        this.redrivePath = redrivePath;
    }

    /** The production pipeline for a validated configuration: its input by {@code source/type}. */
    public static SearchSyncJob<?> fromConfig(JobConfig config) {
        String type = config.source().type();
        if (DynamoDbChangeMapper.KIND.equals(type)) {
            return dynamoDbStreams(config);
        }
        if (KinesisEventMapper.KIND.equals(type)) {
            return kinesis(config);
        }
        if (CloudWatchLogsMapper.KIND.equals(type)) {
            return cloudWatchLogs(config);
        }
        // JobConfig accepts only the kinds SourceOptions.TYPES names, and each has a branch above.
        throw new IllegalStateException("source/type '" + type + "' has no input in this build");
    }

    /** The production pipeline with a DynamoDB Streams input; tests replace one end of it with {@code with...}. */
    public static SearchSyncJob<ChangeRecord> dynamoDbStreams(JobConfig config) {
        Input<ChangeRecord> input = new Input<>("DynamoDB stream",
                DynamoDbStreamsSource.create(config.source().stream(), config.source().aws(),
                        config.source().settings()),
                new DynamoDbChangeMapper(config.writeTarget(),
                        KeySchemaSource.configured(config.index(), config.tableName(), config.source().aws()),
                        config.index().include(), config.index().exclude()),
                Lane.VERSIONED);
        if (config.load().enabled()) {
            LoadConfig load = config.load();
            input = input.withLoad(new TableLoadSource(config.tableName(),
                    DynamoDbTableScanner.factory(config.tableName(), config.source().aws()), load.maxItemsPerSecond(),
                    load.segments(), load.margin()));
        }
        return of(config, input);
    }

    /**
     * The production pipeline with a Kinesis input of JSON events: the VERSIONED lane when events carry ids
     * ({@code events/id.field}), else the APPEND lane.
     */
    public static SearchSyncJob<KinesisRecord> kinesis(JobConfig config) {
        KinesisEventMapper mapper = new KinesisEventMapper(config.tableName(), config.writeTargetName(),
                config.source().recordFormat(), config.source().maxDecodedBytes(), config.events());
        Input<KinesisRecord> input = new Input<>("Kinesis stream",
                KinesisSource.create(config.source().kinesisStream(), config.source().aws(),
                        config.source().settings()),
                mapper, mapper.versioned() ? Lane.VERSIONED : Lane.APPEND);
        return of(config, input);
    }

    /**
     * The production pipeline with a CloudWatch Logs input: a subscription filter's Kinesis stream, one document per
     * log event on the APPEND lane.
     */
    public static SearchSyncJob<KinesisRecord> cloudWatchLogs(JobConfig config) {
        Input<KinesisRecord> input = new Input<>("CloudWatch Logs via Kinesis",
                KinesisSource.create(config.source().kinesisStream(), config.source().aws(),
                        config.source().settings()),
                new CloudWatchLogsMapper(config.tableName(), config.writeTargetName(),
                        config.source().maxDecodedBytes(), config.logs().parseJson(), config.logs().jsonMaxFields()),
                Lane.APPEND);
        return of(config, input);
    }

    /**
     * The pipeline for {@code input}, with the configured limits, ordering (for the VERSIONED lane), sink, dead
     * letters and redrive folder: how {@link #fromConfig} assembles every kind of input.
     */
    public static <T> SearchSyncJob<T> of(JobConfig config, Input<T> input) {
        return new SearchSyncJob<>(input,
                new DocumentLimits(config.index().maxDocumentBytes(), config.index().maxFields()),
                new OrderAndVersion(config.stateTtl().toMillis()),
                OpenSearchSinks.create(config.opensearch(), input.mapper().reduction(),
                        DeadLetterWriter.rejectedActions(config.deadLetters())),
                failed -> DeadLetterSinks.addTo(failed, config.deadLetters()),
                config.deadLetters().redrivePath().orElse(null));
    }

    /** The same job reading its input from {@code source}. */
    public SearchSyncJob<T> withSource(org.apache.flink.api.connector.source.Source<T, ?, ?> source) {
        return new SearchSyncJob<>(input.withSource(source), limits, order, index, failures, redrivePath);
    }

    /** The same job writing actions to {@code sink}. */
    public SearchSyncJob<T> withSink(Sink<DocumentAction> sink) {
        return new SearchSyncJob<>(input, limits, order, sink, failures, redrivePath);
    }

    /** The same job sending what fails before the sink to {@code output}. */
    public SearchSyncJob<T> withFailures(FailureOutput output) {
        return new SearchSyncJob<>(input, limits, order, index, output, redrivePath);
    }

    /**
     * The same job forgetting a document {@code ttl} after its last change instead of after
     * {@code sync/state.ttl.hours}. The TTL is in the expiry timers' times, not in the state's format; the build's
     * committed savepoints are recorded with a long one, so their timers never come due while they are restored.
     */
    public SearchSyncJob<T> withStateTtl(Duration ttl) {
        return new SearchSyncJob<>(input, limits, new OrderAndVersion(ttl.toMillis()), index, failures, redrivePath);
    }

    /** The index sink, for a test that wraps it. */
    public Sink<DocumentAction> sink() {
        return index;
    }

    /** Adds the pipeline to {@code env}, and sets its {@link #MAX_PARALLELISM}. */
    public void addTo(StreamExecutionEnvironment env) {
        env.setMaxParallelism(MAX_PARALLELISM);
        DataStream<T> records = env
                .fromSource(input.source(), WatermarkStrategy.noWatermarks(), input.name())
                .uid(input.sourceUid());
        if (input.load().isPresent()) {
            // Beside the stream, never before it: the stream does not wait for the load, however long it takes.
            records = records.union(env
                    .fromSource(input.load().get(), WatermarkStrategy.noWatermarks(), input.name() + " load")
                    .uid(input.loadUid()));
        }
        Optional<SingleOutputStreamOperator<T>> redriven = Optional.ofNullable(redrivePath)
                .map(path -> RedriveSource.from(env, path, input.mapper()));
        if (redriven.isPresent()) {
            records = records.union(redriven.get());
        }
        SingleOutputStreamOperator<DocumentAction> actions = records
                .process(new ToActions<>(input.mapper(), limits)).uid(CONVERT_UID).name("To actions");
        DataStream<DocumentAction> lane = actions;
        if (redriven.isPresent()) {
            lane = lane.union(redriven.get().getSideOutput(RedriveSource.ACTIONS));
        }
        if (input.lane() == Lane.VERSIONED) {
            lane = lane.keyBy(new DocumentKey()).process(order).uid(ORDER_UID).name("Order and version");
        }
        lane.sinkTo(index).uid(SINK_UID).name("OpenSearch");
        DataStream<FailedChange> failed = actions.getSideOutput(Failures.TAG);
        if (redriven.isPresent()) {
            // Into the dead-letter folder, never back into the redrive folder: a line that cannot be read is
            // written once and not read again.
            failed = failed.union(redriven.get().getSideOutput(Failures.TAG));
        }
        failures.attach(failed);
    }

    /** Where changes that fail before the sink go: dead letters in production, something a test reads in tests. */
    @FunctionalInterface
    public interface FailureOutput extends Serializable {
        void attach(DataStream<FailedChange> failures);
    }

    /** Writes the index template, makes sure the index or alias exists, and stops when an existing one disagrees. */
    public static void prepareIndex(JobConfig config) throws IOException {
        try (IndexBootstrap bootstrap = new IndexBootstrap(config.opensearch())) {
            bootstrap.prepare(config.index(), config.indexName());
        }
    }

    /**
     * Creates the redrive folder when one is configured, so the job that watches it starts on a fresh deployment
     * instead of failing to list a folder nobody has written to yet.
     */
    public static void prepareRedriveFolder(JobConfig config) throws IOException {
        if (config.deadLetters().redrivePath().isPresent()) {
            org.apache.flink.core.fs.Path folder = new org.apache.flink.core.fs.Path(
                    config.deadLetters().redrivePath().get());
            folder.getFileSystem().mkdirs(folder);
        }
    }

    /**
     * Runs the job. With {@code --properties FILE} the property groups come from that JSON file; without it,
     * from Managed Service for Apache Flink's runtime properties.
     */
    public static void main(String[] args) throws Exception {
        JobConfig config = JobConfig.from(propertyGroups(args));
        LOG.info("Starting searchsync with {}", config);
        prepareIndex(config);
        prepareRedriveFolder(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        fromConfig(config).addTo(env);
        env.execute(jobName(config));
    }

    /** The job's name: its input and its index. */
    public static String jobName(JobConfig config) {
        return "searchsync " + config.tableName() + " -> " + config.indexName();
    }

    /**
     * The property groups, and with them where they came from: a {@code --properties} file is a local run, the
     * runtime properties are Managed Service for Apache Flink, where some local defaults are refused.
     */
    static PropertyGroups propertyGroups(String[] args) throws IOException {
        for (int i = 0; i < args.length; i++) {
            if ("--properties".equals(args[i])) {
                if (i + 1 == args.length) {
                    throw new IllegalArgumentException("--properties needs a file: --properties FILE");
                }
                return PropertyGroups.fromJsonFile(Path.of(args[i + 1]));
            }
        }
        return PropertyGroups.fromProperties(KinesisAnalyticsRuntime.getApplicationProperties());
    }
}
