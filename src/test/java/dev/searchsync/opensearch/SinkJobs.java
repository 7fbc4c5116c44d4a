package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchConfig;
import dev.searchsync.document.DocumentChange;

import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.List;
import java.util.Map;

/** Runs the real sink in a small bounded job on the test's MiniCluster, the way the production job wires it. */
final class SinkJobs {
    private SinkJobs() {}

    /** Parallelism 2, a checkpoint every 500 ms, and no restart, so a failure reaches the test at once. */
    static StreamExecutionEnvironment environment() {
        Configuration config = new Configuration();
        config.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(config);
        env.setParallelism(2);
        env.enableCheckpointing(500);
        return env;
    }

    /**
     * Writes {@code changes} through {@link OpenSearchSinks#create}; changes of one document reach the same sink
     * subtask in the given order, as the production job's keyBy guarantees.
     */
    static JobExecutionResult run(OpenSearchConfig config, String name, List<DocumentChange> changes)
            throws Exception {
        StreamExecutionEnvironment env = environment();
        env.fromData(changes.toArray(new DocumentChange[0])).setParallelism(1).name("changes")
                .keyBy(new ByDocumentId())
                .sinkTo(OpenSearchSinks.create(config)).name("opensearch");
        return env.execute(name);
    }

    /** The sum over all subtasks of a counter the sink registered. */
    static long counter(InMemoryReporter reporter, JobID job, String name) {
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

    /** Keyed by document like the production job, so a test decides the order in which one document's changes arrive. */
    static final class ByDocumentId implements KeySelector<DocumentChange, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(DocumentChange change) {
            return change.getIndex() + "/" + change.getDocumentId();
        }
    }

    static DocumentChange write(String index, String id, long version, String json) {
        DocumentChange change = DocumentChange.write(index, id, json, null);
        change.setVersion(version);
        return change;
    }

    static DocumentChange delete(String index, String id, long version) {
        DocumentChange change = DocumentChange.delete(index, id, null);
        change.setVersion(version);
        return change;
    }
}
