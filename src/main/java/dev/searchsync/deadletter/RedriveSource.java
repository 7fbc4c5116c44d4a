package dev.searchsync.deadletter;

import dev.searchsync.change.ChangeRecord;
import dev.searchsync.config.DeadLetterConfig;
import dev.searchsync.failure.FailedChange;

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

/**
 * Reads dead letters dropped under {@code deadletter/redrive.path} and turns each back into the change it holds,
 * marked as a redrive, so it goes through the job's own conversion, ordering and versions: a redriven record can
 * never overwrite a newer document nor bring back one deleted since. The folder is watched continuously and each
 * file is read once (the source checkpoints which files it has seen). A line that cannot be redriven goes to
 * {@link #UNREADABLE}, to become a dead letter of its own in the dead-letter folder, never back here.
 */
public final class RedriveSource {
    public static final String SOURCE_UID = "redrive-source";
    public static final String READ_UID = "redrive-letters";
    /** How often the redrive folder is listed for new files. */
    static final Duration SCAN_INTERVAL = Duration.ofSeconds(10);

    /** Lines of the redrive folder that cannot be redriven, stage {@code REDRIVE}, with the line as it was. */
    public static final OutputTag<FailedChange> UNREADABLE =
            new OutputTag<>("unreadable-redrive-lines", TypeInformation.of(FailedChange.class));

    private RedriveSource() {}

    /**
     * The redriven changes, or null when no redrive path is configured; lines that cannot be redriven are its
     * side output {@link #UNREADABLE}.
     */
    public static SingleOutputStreamOperator<ChangeRecord> from(StreamExecutionEnvironment env,
            DeadLetterConfig config) {
        if (config.redrivePath().isEmpty()) {
            return null;
        }
        FileSource<String> files = FileSource
                .forRecordStreamFormat(new TextLineInputFormat(), new Path(config.redrivePath().get()))
                .monitorContinuously(SCAN_INTERVAL)
                .build();
        return env.fromSource(files, WatermarkStrategy.noWatermarks(), "Dead letters to redrive").uid(SOURCE_UID)
                .process(new ReadLetter()).uid(READ_UID).name("Redrive letters")
                .returns(TypeInformation.of(ChangeRecord.class));
    }

    /**
     * One line of a dead-letter file back to its change. A line that cannot be redriven must neither stop the job
     * (the file would be read again after every restart: a crash loop) nor vanish, so it goes to
     * {@link #UNREADABLE} whole, with the reason.
     */
    static final class ReadLetter extends ProcessFunction<String, ChangeRecord> {
        private static final long serialVersionUID = 1L;
        private static final Logger LOG = LoggerFactory.getLogger(ReadLetter.class);

        private transient Counter read;
        private transient Counter unreadable;

        @Override
        public void open(OpenContext openContext) {
            read = getRuntimeContext().getMetricGroup().counter("redriveLettersRead");
            unreadable = getRuntimeContext().getMetricGroup().counter("redriveLinesUnreadable");
        }

        @Override
        public void processElement(String line, Context ctx, Collector<ChangeRecord> out) {
            if (line.isBlank()) {
                return;
            }
            ChangeRecord change;
            try {
                change = RedriveLines.read(line);
            } catch (RuntimeException e) {
                unreadable.inc();
                LOG.warn("A line of the redrive folder cannot be redriven and becomes a dead letter of stage"
                        + " REDRIVE: {}", e.getMessage());
                ctx.output(UNREADABLE, FailedChange.unreadable(line, e, ctx.timerService().currentProcessingTime()));
                return;
            }
            read.inc();
            // Outside the try: an exception thrown downstream of a chained collect is not this line's fault.
            out.collect(change);
        }

        /** Test hook: metric groups in test harnesses do not keep what is registered. */
        long unreadableCount() {
            return unreadable.getCount();
        }
    }
}
