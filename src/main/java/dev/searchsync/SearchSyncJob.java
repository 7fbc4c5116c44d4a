package dev.searchsync;

import dev.searchsync.change.ChangeRecord;
import dev.searchsync.config.JobConfig;
import dev.searchsync.config.PropertyGroups;
import dev.searchsync.document.ConvertChanges;
import dev.searchsync.document.DocumentChange;
import dev.searchsync.document.ValidateDocuments;
import dev.searchsync.failure.FailedChange;
import dev.searchsync.deadletter.DeadLetterSinks;
import dev.searchsync.deadletter.RedriveSource;
import dev.searchsync.opensearch.IndexBootstrap;
import dev.searchsync.opensearch.OpenSearchSinks;
import dev.searchsync.ordering.DocumentKey;
import dev.searchsync.ordering.OrderAndVersion;
import dev.searchsync.source.dynamodb.DynamoDbStreamsSource;

import com.amazonaws.services.kinesisanalytics.runtime.KinesisAnalyticsRuntime;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * searchsync, read as its diagram:
 *
 * <pre>
 * DynamoDB stream ─┬► convert ─► validate ─► keyBy document ─► order and version ─► OpenSearch ─┐
 * redriven letters ─┘     └──────────┴─► failures ─► dead letters ◄──── rejected documents ─────┘
 *       └─► lines that cannot be redriven ──┘
 * </pre>
 *
 * The ends come in through the constructor, so tests run the same pipeline between their own source and sinks.
 */
public final class SearchSyncJob {
    private static final Logger LOG = LoggerFactory.getLogger(SearchSyncJob.class);

    public static final String SOURCE_UID = "dynamodb-stream-source";
    public static final String CONVERT_UID = "convert-to-documents";
    public static final String VALIDATE_UID = "validate-documents";
    public static final String ORDER_UID = "order-and-version";
    public static final String SINK_UID = "opensearch-sink";
    /** Uid of a test's own failure sink; production uses {@link DeadLetterSinks}' uids. */
    public static final String FAILURES_UID = "failures";
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

    private final Source<ChangeRecord, ?, ?> changes;
    private final ConvertChanges convert;
    private final ValidateDocuments validate;
    private final OrderAndVersion order;
    private final Sink<DocumentChange> index;
    private final FailureOutput failures;
    private final RedriveInput redrive;

    public SearchSyncJob(
            Source<ChangeRecord, ?, ?> changes,
            ConvertChanges convert,
            ValidateDocuments validate,
            OrderAndVersion order,
            Sink<DocumentChange> index,
            FailureOutput failures) {
        this(changes, convert, validate, order, index, failures, env -> null);
    }

    /** With {@code redrive}: dead letters sent back enter the pipeline beside the stream's changes. */
    public SearchSyncJob(
            Source<ChangeRecord, ?, ?> changes,
            ConvertChanges convert,
            ValidateDocuments validate,
            OrderAndVersion order,
            Sink<DocumentChange> index,
            FailureOutput failures,
            RedriveInput redrive) {
        this.changes = changes;
        this.convert = convert;
        this.validate = validate;
        this.order = order;
        this.index = index;
        this.failures = failures;
        this.redrive = redrive;
    }

    /** The production pipeline for a validated configuration. */
    public static SearchSyncJob fromConfig(JobConfig config) {
        return new SearchSyncJob(
                DynamoDbStreamsSource.create(
                        config.source().stream(), config.source().aws(), config.source().settings()),
                new ConvertChanges(config.writeTarget(),
                        config.index().keySchemaSource(config.tableName(), config.source().aws()),
                        config.index().include(), config.index().exclude()),
                new ValidateDocuments(config.index().maxDocumentBytes(), config.index().maxFields()),
                new OrderAndVersion(config.stateTtl().toMillis()),
                OpenSearchSinks.create(config.opensearch(), config.deadLetters()),
                failures -> DeadLetterSinks.addTo(failures, config.deadLetters()),
                env -> RedriveSource.from(env, config.deadLetters()));
    }

    /** Adds the pipeline to {@code env}, and sets its {@link #MAX_PARALLELISM}. */
    public void addTo(StreamExecutionEnvironment env) {
        env.setMaxParallelism(MAX_PARALLELISM);
        DataStream<ChangeRecord> stream = env
                .fromSource(changes, WatermarkStrategy.noWatermarks(), "DynamoDB stream").uid(SOURCE_UID);
        SingleOutputStreamOperator<ChangeRecord> redriven = redrive.open(env);
        SingleOutputStreamOperator<DocumentChange> documents = (redriven == null ? stream : stream.union(redriven))
                .process(convert).uid(CONVERT_UID).name("Convert to documents");
        SingleOutputStreamOperator<DocumentChange> valid = documents
                .process(validate).uid(VALIDATE_UID).name("Validate documents");
        valid
                .keyBy(new DocumentKey())
                .process(order).uid(ORDER_UID).name("Order and version")
                .sinkTo(index).uid(SINK_UID).name("OpenSearch");
        DataStream<FailedChange> failed = documents.getSideOutput(ConvertChanges.FAILURES)
                .union(valid.getSideOutput(ConvertChanges.FAILURES));
        if (redriven != null) {
            // Into the dead-letter folder, never back into the redrive folder: a line that cannot be read is
            // written once and not read again.
            failed = failed.union(redriven.getSideOutput(RedriveSource.UNREADABLE));
        }
        failures.attach(failed);
    }

    /**
     * Dead letters sent back into the job; {@code open} returns null when there are none to watch. Lines that
     * cannot be redriven come out as its side output {@link RedriveSource#UNREADABLE}.
     */
    @FunctionalInterface
    public interface RedriveInput extends Serializable {
        SingleOutputStreamOperator<ChangeRecord> open(StreamExecutionEnvironment env);
    }

    /** Where changes that fail before the sink go: dead letters in production, something a test reads in tests. */
    @FunctionalInterface
    public interface FailureOutput extends Serializable {
        void attach(DataStream<FailedChange> failures);

        /** Into {@code sink}, with the job's failure uid. */
        static FailureOutput sink(Sink<FailedChange> sink) {
            return failures -> failures.sinkTo(sink).uid(FAILURES_UID).name("Failures");
        }
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
        env.execute("searchsync " + config.tableName() + " -> " + config.indexName());
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
