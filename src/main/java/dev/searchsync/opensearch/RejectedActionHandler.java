package dev.searchsync.opensearch;

import dev.searchsync.model.FailedChange;

import org.apache.flink.metrics.MetricGroup;

import java.io.Serializable;
import java.util.List;

/**
 * Where the sink hands the actions OpenSearch refused for their content (the dead letters, in the job). A sink
 * writer has no side output, so this is the sink's way out; an interface, so the sink knows no store.
 */
public interface RejectedActionHandler {
    /**
     * Keeps {@code rejected} durably before it returns: the bulk counts as answered, and a checkpoint may complete,
     * only afterwards.
     *
     * @throws RuntimeException when they cannot be kept: the job fails and the bulk is sent again after the restart
     */
    void onRejected(List<FailedChange> rejected);

    /** Builds one handler per sink writer, on the task, with that writer's metric group. */
    @FunctionalInterface
    interface Factory extends Serializable {
        RejectedActionHandler create(MetricGroup writerMetrics);
    }
}
