package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchConfig;
import dev.searchsync.it.SyncJobs;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.DocumentReduction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.ordering.DocumentKey;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Runs the real sink in a small bounded job on the test's MiniCluster, the way the production job wires it. */
public final class SinkJobs {
    private SinkJobs() {}

    /** Parallelism 2, a checkpoint every 500 ms, and no restart, so a failure reaches the test at once. */
    static StreamExecutionEnvironment environment() {
        return SyncJobs.environment(500, 0, Duration.ZERO);
    }

    /**
     * Writes {@code changes} through {@link OpenSearchSinks#create}; changes of one document reach the same sink
     * subtask in the given order, as the production job's keyBy guarantees.
     */
    static JobExecutionResult run(OpenSearchConfig config, String name, List<DocumentAction> changes)
            throws Exception {
        return run(config, DocumentReduction.NONE, FAIL_ON_REJECTED, name, changes);
    }

    /** Like {@link #run(OpenSearchConfig, String, List)}, with a reduction and a handler of refused actions. */
    public static JobExecutionResult run(OpenSearchConfig config, DocumentReduction reduction,
            RejectedActionHandler.Factory rejected, String name, List<DocumentAction> changes) throws Exception {
        StreamExecutionEnvironment env = environment();
        env.fromData(changes.toArray(new DocumentAction[0])).setParallelism(1).name("changes")
                .keyBy(new DocumentKey())
                .sinkTo(OpenSearchSinks.create(config, reduction, rejected)).name("opensearch");
        return env.execute(name);
    }

    /** The sum over all subtasks of a counter the sink registered. */
    public static long counter(InMemoryReporter reporter, JobID job, String name) {
        long total = 0;
        for (Map.Entry<MetricGroup, Map<String, Metric>> group : reporter.getMetricsByGroup().entrySet()) {
            Metric metric = group.getValue().get(name);
            if (job.toString().equals(group.getKey().getAllVariables().get("<job_id>"))
                    && metric instanceof Counter) {
                total += ((Counter) metric).getCount();
            }
        }
        return total;
    }

    /**
     * A sink without a dead-letter store: an action OpenSearch refuses fails the job, naming index, id, version,
     * status and error type, so a test sees what was refused.
     */
    public static final RejectedActionHandler.Factory FAIL_ON_REJECTED = metrics -> rejected -> {
        List<String> named = new java.util.ArrayList<>();
        for (FailedChange failed : rejected) {
            DocumentAction action = failed.getAction();
            named.add("index '" + action.getIndex() + "', id '" + action.getId() + "', version "
                    + action.getVersion() + ", status " + failed.getFailure().getStatus() + ", "
                    + failed.getFailure().getType());
        }
        throw new RejectedDocumentsException(named, rejected.size());
    };

    static DocumentAction write(String index, String id, long version, String json) {
        DocumentAction action = new DocumentAction();
        action.setIndex(index);
        action.setId(id);
        action.setOp(dev.searchsync.model.Op.INDEX);
        action.setDocument(json);
        action.setVersion(version);
        return action;
    }

    static DocumentAction delete(String index, String id, long version) {
        return DocumentAction.delete(index, id, null).withVersion(version);
    }
}
