package dev.searchsync.deadletter;

import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.Failures;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;
import dev.searchsync.model.RecordMapper;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;

/**
 * Reads dead letters dropped under {@code deadletter/redrive.path} and sends each back through the job's own
 * ordering and versions, so a redriven change can never overwrite a newer document nor bring back one deleted
 * since. A letter that kept its record (it failed before the sink) goes back as that record, to be mapped again by
 * the input; a letter of an action OpenSearch refused goes back as that action, straight to the ordering step.
 * The folder is watched continuously and each file is read once (the source checkpoints which files it has seen).
 * A line that cannot be redriven goes to {@link Failures#TAG}, to become a dead letter of its own in the
 * dead-letter folder, never back here.
 */
public final class RedriveSource {
    public static final String SOURCE_UID = "redrive-source";
    public static final String READ_UID = "redrive-letters";
    /** How often the redrive folder is listed for new files. */
    static final Duration SCAN_INTERVAL = Duration.ofSeconds(10);

    /** Redriven actions OpenSearch had refused, bound for the ordering step. */
    public static final OutputTag<DocumentAction> ACTIONS =
            new OutputTag<>("redriven-actions", TypeInformation.of(DocumentAction.class));

    private RedriveSource() {}

    /**
     * The redriven records of the input {@code mapper} maps, from the folder at {@code redrivePath}; redriven
     * actions are its side output {@link #ACTIONS}, lines that cannot be redriven its side output
     * {@link Failures#TAG}.
     */
    public static <T> SingleOutputStreamOperator<T> from(StreamExecutionEnvironment env, String redrivePath,
            RecordMapper<T> mapper) {
        FileSource<String> files = FileSource
                .forRecordStreamFormat(new TextLineInputFormat(), new Path(redrivePath))
                .monitorContinuously(SCAN_INTERVAL)
                .build();
        return env.fromSource(files, WatermarkStrategy.noWatermarks(), "Dead letters to redrive").uid(SOURCE_UID)
                .process(new ReadLetter<>(mapper)).uid(READ_UID).name("Redrive letters")
                .returns(mapper.type());
    }

    /**
     * One line of a dead-letter file back to its record or its action. A line that cannot be redriven must neither
     * stop the job (the file would be read again after every restart: a crash loop) nor vanish, so it goes to
     * {@link Failures#TAG} whole, with the reason.
     */
    static final class ReadLetter<T> extends ProcessFunction<String, T> {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(ReadLetter.class);

        private final RecordMapper<T> mapper;
        private transient Counter read;
        private transient Counter unreadable;

        ReadLetter(RecordMapper<T> mapper) {
            this.mapper = Objects.requireNonNull(mapper);
        }

        @Override
        public void open(OpenContext openContext) {
            read = getRuntimeContext().getMetricGroup().counter("redriveLettersRead");
            unreadable = getRuntimeContext().getMetricGroup().counter("redriveLinesUnreadable");
        }

        @Override
        public void processElement(String line, Context ctx, Collector<T> out) {
            if (line.isBlank()) {
                return;
            }
            T record = null;
            DocumentAction action = null;
            try {
                DeadLetter letter = RedriveLines.read(line, mapper.kind());
                Origin origin = letter.getOrigin().redriven(letter.getAttempt());
                if (letter.getRecord() != null) {
                    record = restore(letter.getRecord(), origin);
                } else {
                    action = letter.getAction().redriven(letter.getAttempt());
                }
            } catch (RuntimeException e) {
                unreadable.inc();
                LOG.warn("A line of the redrive folder cannot be redriven and becomes a dead letter of stage"
                        + " REDRIVE: {}", e.getMessage());
                ctx.output(Failures.TAG, FailedChange.of(null, RawRecord.text(line), null,
                        Failure.of(FailureStage.REDRIVE, e, ctx.timerService().currentProcessingTime())));
                return;
            }
            read.inc();
            // Outside the try: an exception thrown downstream of a chained collect is not this line's fault.
            if (record != null) {
                out.collect(record);
            } else {
                ctx.output(ACTIONS, action);
            }
        }

        private T restore(RawRecord raw, Origin origin) {
            try {
                return mapper.restore(raw, origin);
            } catch (RuntimeException e) {
                throw new UnreadableLetterException("Cannot redrive a dead letter whose record the " + mapper.kind()
                        + " input cannot read back: " + e.getMessage(), e);
            }
        }

        /** Test hook: metric groups in test harnesses do not keep what is registered. */
        long unreadableCount() {
            return unreadable.getCount();
        }
    }
}
