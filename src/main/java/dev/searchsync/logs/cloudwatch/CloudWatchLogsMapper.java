package dev.searchsync.logs.cloudwatch;

import dev.searchsync.config.IndexName;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.DocumentReduction;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;
import dev.searchsync.model.RecordMapper;
import dev.searchsync.source.kinesis.KinesisOrigins;
import dev.searchsync.source.kinesis.KinesisRecord;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a Kinesis record written by a CloudWatch Logs subscription means to the core: one document per log event,
 * appended under an id made of the event's log group, log stream and event id, so that whichever record delivers an
 * event again (CloudWatch Logs redelivers, Kinesis is replayed, the job restarts) it is written once.
 */
public final class CloudWatchLogsMapper implements RecordMapper<KinesisRecord> {
    private static final long serialVersionUID = 1L;
    /** The input kind, as {@code source/type} names it. */
    public static final String KIND = "cloudwatch-logs";

    private final String input;
    private final IndexName index;
    private final int maxDecodedBytes;
    private final boolean parseJsonMessages;
    private final int jsonFieldBudget;

    private transient FieldBudget budget;
    private transient Counter controlMessagesSkipped;
    private transient Counter jsonMessagesParsed;
    private transient Counter jsonMessagesOverBudget;
    private transient Counter jsonMessagesConflicting;

    /**
     * @param input             the stream's name, as origins and dead letters name the input
     * @param index             where documents go: fixed, or by event time and log group (such as
     *                          {@code cwl-{yyyy.MM.dd}} or {@code cwl-{log_group}-{yyyy.MM.dd}})
     * @param maxDecodedBytes   the most bytes one record's gzip data may decompress to
     * @param parseJsonMessages whether a message that is one JSON object is also indexed under {@code @json}
     * @param jsonFieldBudget   the most distinct {@code @json} field paths all parallel instances together admit
     *                          per index; keep it well below the index's {@code index.mapping.total_fields.limit}
     */
    public CloudWatchLogsMapper(String input, IndexName index, int maxDecodedBytes, boolean parseJsonMessages,
            int jsonFieldBudget) {
        this.input = Objects.requireNonNull(input, "input");
        this.index = Objects.requireNonNull(index, "index");
        if (maxDecodedBytes <= 0) {
            throw new IllegalArgumentException("maxDecodedBytes must be positive, was " + maxDecodedBytes);
        }
        if (jsonFieldBudget < 0) {
            throw new IllegalArgumentException("jsonFieldBudget must not be negative, was " + jsonFieldBudget);
        }
        this.maxDecodedBytes = maxDecodedBytes;
        this.parseJsonMessages = parseJsonMessages;
        this.jsonFieldBudget = jsonFieldBudget;
    }

    @Override
    public void open() {
        start(1, new UnregisteredMetricsGroup());
    }

    @Override
    public void open(RuntimeContext context) {
        start(context.getTaskInfo().getNumberOfParallelSubtasks(), context.getMetricGroup());
    }

    /** Takes this instance's share of the field budget and registers the counters in {@code metrics}. */
    void start(int parallelism, MetricGroup metrics) {
        budget = FieldBudget.shareOf(jsonFieldBudget, parallelism);
        controlMessagesSkipped = metrics.counter("controlMessagesSkipped");
        jsonMessagesParsed = metrics.counter("jsonMessagesParsed");
        jsonMessagesOverBudget = metrics.counter("jsonMessagesOverBudget");
        jsonMessagesConflicting = metrics.counter("jsonMessagesConflicting");
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Origin origin(KinesisRecord record) {
        return KinesisOrigins.origin(record, input, KIND);
    }

    @Override
    public String describe(KinesisRecord record) {
        return KinesisOrigins.describe(record, input);
    }

    @Override
    public RawRecord raw(KinesisRecord record) {
        return RawRecord.bytes(record.getData());
    }

    @Override
    public List<DocumentAction> actions(KinesisRecord record) throws Exception {
        if (budget == null) {
            open();
        }
        LogsPayload payload = LogsPayload.decode(record.getData(), maxDecodedBytes);
        if (payload.isControlMessage()) {
            controlMessagesSkipped.inc();
            return List.of();
        }
        Origin recordOrigin = origin(record);
        List<DocumentAction> actions = new ArrayList<>(payload.logEvents().size());
        for (LogEvent event : payload.logEvents()) {
            Origin origin = recordOrigin.at(event.index());
            origin.setEventTime(event.timestamp());
            origin.setEventId(event.id());
            String target = index.at(event.timestamp(), payload.logGroup());
            LogDocument document = LogDocument.of(payload, event, admittedJson(target, event));
            actions.add(DocumentAction.create(target, documentId(payload.logGroup(), payload.logStream(), event.id()),
                    document.utf8(), document.fieldPaths(), origin));
        }
        return actions;
    }

    /** The message as JSON when it is an object the budget admits; else null, and it stays text only. */
    private JsonMessage admittedJson(String target, LogEvent event) {
        if (!parseJsonMessages) {
            return null;
        }
        JsonMessage json = JsonMessage.parse(event.message());
        if (json == null) {
            return null;
        }
        switch (budget.admit(target, json)) {
            case PARSED:
                jsonMessagesParsed.inc();
                return json;
            case OVER_BUDGET:
                jsonMessagesOverBudget.inc();
                return null;
            default:
                jsonMessagesConflicting.inc();
                return null;
        }
    }

    /**
     * Lowercase hex SHA-256 of the three names, each preceded by its UTF-8 length so that no two triples give the
     * same input (a name may contain any separator one might choose). Not the record's position: CloudWatch Logs
     * may deliver the same events again in another record, and the id must not change with it.
     */
    static String documentId(String logGroup, String logStream, String eventId) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        for (String part : new String[] {logGroup, logStream, eventId}) {
            byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
            sha.update(ByteBuffer.allocate(Integer.BYTES).putInt(utf8.length).array());
            sha.update(utf8);
        }
        StringBuilder hex = new StringBuilder(64);
        for (byte b : sha.digest()) {
            hex.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return hex.toString();
    }

    /** A refused document loses its {@code @json}, then its {@code @fields}: {@link LogDocument#reduce}. */
    @Override
    public DocumentReduction reduction() {
        return LogDocument::reduce;
    }

    @Override
    public KinesisRecord restore(RawRecord raw, Origin origin) {
        return KinesisOrigins.restore(raw, origin);
    }

    @Override
    public TypeInformation<KinesisRecord> type() {
        return TypeInformation.of(KinesisRecord.class);
    }

    long controlMessagesSkipped() {
        return controlMessagesSkipped.getCount();
    }

    long jsonMessagesParsed() {
        return jsonMessagesParsed.getCount();
    }

    long jsonMessagesOverBudget() {
        return jsonMessagesOverBudget.getCount();
    }

    long jsonMessagesConflicting() {
        return jsonMessagesConflicting.getCount();
    }

    @Override
    public String toString() {
        return "CloudWatchLogsMapper{input=" + input + ", index=" + index + ", maxDecodedBytes=" + maxDecodedBytes
                + ", parseJsonMessages=" + parseJsonMessages + ", jsonFieldBudget=" + jsonFieldBudget + '}';
    }
}
