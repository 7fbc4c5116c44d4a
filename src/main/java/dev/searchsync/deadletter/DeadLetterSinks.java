package dev.searchsync.deadletter;

import dev.searchsync.config.DeadLetterConfig;
import dev.searchsync.model.FailedChange;

import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

/**
 * The dead-letter store for failures before the sink: JSON lines under
 * {@code <path>/dt=YYYY-MM-DD/hour=HH/dead-letters-<uuid>-<n>.jsonl}, written by Flink's {@link FileSink}. Part
 * files are rolled and committed on checkpoints only, so each letter is in exactly one committed file, once,
 * also across restarts; until its checkpoint completes, a letter is in a hidden in-progress file (local) or an
 * unfinished multipart upload (S3) that readers do not see.
 */
public final class DeadLetterSinks {
    /** The uid of the map from failed changes to dead letters. */
    public static final String TO_DEAD_LETTERS_UID = "failures-to-dead-letters";
    /** The uid of the file sink (its state holds the in-progress part files). */
    public static final String SINK_UID = "dead-letter-sink";
    /** Committed part files start with this. */
    public static final String PART_PREFIX = "dead-letters";
    /** Committed part files end with this. */
    public static final String PART_SUFFIX = ".jsonl";

    private DeadLetterSinks() {}

    /** Writes {@code failures} as dead letters under the configured path; the one call the job needs. */
    public static DataStreamSink<DeadLetter> addTo(DataStream<FailedChange> failures, DeadLetterConfig config) {
        return failures
                .map(new ToDeadLetter())
                .uid(TO_DEAD_LETTERS_UID)
                .name("Failures to dead letters")
                .sinkTo(fileSink(config))
                .uid(SINK_UID)
                .name("Dead letters to " + config.path());
    }

    /** The file sink on its own, for a stream that already holds dead letters. */
    public static FileSink<DeadLetter> fileSink(DeadLetterConfig config) {
        return FileSink.forRowFormat(new Path(config.path()), new DeadLetterEncoder())
                .withBucketAssigner(new HourBucketAssigner())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix(PART_PREFIX)
                        .withPartSuffix(PART_SUFFIX)
                        .build())
                .build();
    }
}
