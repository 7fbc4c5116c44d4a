package dev.searchsync.deadletter;

import dev.searchsync.change.ChangeRecord;
import dev.searchsync.config.DeadLetterConfig;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Reads dead letters dropped under {@code deadletter/redrive.path} and turns each back into the change it holds,
 * marked as a redrive, so it goes through the job's own conversion, ordering and versions: a redriven record can
 * never overwrite a newer document nor bring back one deleted since. The folder is watched continuously and each
 * file is read once (the source checkpoints which files it has seen).
 */
public final class RedriveSource {
    public static final String SOURCE_UID = "redrive-source";
    public static final String READ_UID = "redrive-letters";
    /** How often the redrive folder is listed for new files. */
    static final Duration SCAN_INTERVAL = Duration.ofSeconds(10);

    private RedriveSource() {}

    /** The redriven changes, or null when no redrive path is configured. */
    public static DataStream<ChangeRecord> from(StreamExecutionEnvironment env, DeadLetterConfig config) {
        if (config.redrivePath().isEmpty()) {
            return null;
        }
        FileSource<String> files = FileSource
                .forRecordStreamFormat(new TextLineInputFormat(), new Path(config.redrivePath().get()))
                .monitorContinuously(SCAN_INTERVAL)
                .build();
        return env.fromSource(files, WatermarkStrategy.noWatermarks(), "Dead letters to redrive").uid(SOURCE_UID)
                .flatMap(new ReadLetter()).uid(READ_UID).name("Redrive letters")
                .returns(TypeInformation.of(ChangeRecord.class));
    }

    /** One line of a dead-letter file back to its change; a line that is not a dead letter is logged and counted. */
    static final class ReadLetter extends RichFlatMapFunction<String, ChangeRecord> {
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
        public void flatMap(String line, Collector<ChangeRecord> out) {
            if (line.isBlank()) {
                return;
            }
            DeadLetter letter;
            try {
                letter = DeadLetterJson.read(line);
            } catch (RuntimeException e) {
                unreadable.inc();
                LOG.error("Not a dead letter, not redriven: {} ({})", line, e.getMessage());
                return;
            }
            ChangeRecord change = letter.toChange();
            change.setRedriveAttempt(letter.getAttempt());
            read.inc();
            out.collect(change);
        }
    }
}
