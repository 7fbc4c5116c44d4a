package dev.searchsync.failure;

import dev.searchsync.change.ChangeRecord;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each failed change to the job log at ERROR, whole, so no failure is ever silent. The durable home for
 * failures is the dead-letter store; this sink is for runs configured without one.
 */
public final class FailureLogSink implements Sink<FailedChange> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(FailureLogSink.class);

    @Override
    public SinkWriter<FailedChange> createWriter(InitContext context) {
        Counter failures = context.metricGroup().counter("failuresLogged");
        return new SinkWriter<>() {
            @Override
            public void write(FailedChange failure, Context writeContext) {
                failures.inc();
                ChangeRecord change = failure.getChange();
                LOG.error("Change not indexed ({} failed: {}: {}): {} keys={} newImage={} oldImage={}",
                        failure.getStage(), failure.getErrorType(), failure.getErrorReason(), change,
                        change == null ? null : change.getKeys(), change == null ? null : change.getNewImage(),
                        change == null ? null : change.getOldImage());
            }

            @Override
            public void flush(boolean endOfInput) {
                // Logging is synchronous: nothing is buffered.
            }

            @Override
            public void close() {
                // Nothing to release.
            }
        };
    }
}
