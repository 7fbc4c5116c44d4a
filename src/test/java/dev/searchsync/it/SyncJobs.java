package dev.searchsync.it;

import dev.searchsync.config.JobConfig;
import dev.searchsync.config.PropertyGroups;
import dev.searchsync.config.ShardSourceSettings;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.OpenSearchServer;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.fail;

/** Configuration and environment for tests that run the whole sync job against the test servers. */
public final class SyncJobs {
    private SyncJobs() {}

    /** The job's configuration for a moto table and the test OpenSearch, read as a user would write it. */
    public static JobConfig config(MotoServer moto, OpenSearchServer opensearch, String streamArn, String index) {
        return config(moto, opensearch, streamArn, index, Map.of());
    }

    /** As above, plus {@code extra} groups (for example a dead-letter path); their keys override these. */
    public static JobConfig config(MotoServer moto, OpenSearchServer opensearch, String streamArn, String index,
            Map<String, Map<String, String>> extra) {
        return config(moto.endpoint(), moto, opensearch, streamArn, index, extra);
    }

    /** As above, with the job's AWS endpoint elsewhere than moto itself (a proxy in front of it). */
    static JobConfig config(URI awsEndpoint, MotoServer moto, OpenSearchServer opensearch, String streamArn,
            String index, Map<String, Map<String, String>> extra) {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        groups.put("source", Map.of(
                "stream.arn", streamArn,
                "aws.endpoint", awsEndpoint.toString(),
                "aws.region", moto.region(),
                "aws.credentials.provider", "STATIC",
                "aws.access.key.id", moto.accessKey(),
                "aws.secret.access.key", moto.secretKey()));
        groups.put("index", Map.of("name", index, "mapping", "e2e-test.json"));
        groups.put("opensearch", Map.of("endpoint", opensearch.httpUrl(), "bulk.flush.interval.ms", "200"));
        // These tests follow the stream alone; InitialLoadIT is the one with a load.
        groups.put("load", Map.of("mode", "NEVER"));
        extra.forEach((group, values) -> {
            Map<String, String> merged = new LinkedHashMap<>(groups.getOrDefault(group, Map.of()));
            merged.putAll(values);
            groups.put(group, merged);
        });
        return JobConfig.from(PropertyGroups.of(groups));
    }

    public static ShardSourceSettings fastPolling() {
        return fastPolling(1_000);
    }

    /** Shards listed every second, polled every 50 ms (200 ms at most when idle), so tests do not wait. */
    static ShardSourceSettings fastPolling(int maxRecordsPerPoll) {
        return ShardSourceSettings.defaults().withDiscoveryInterval(1_000).withPolling(50, 200, maxRecordsPerPoll);
    }

    public static StreamExecutionEnvironment environment() {
        return environment(1_000, 3, Duration.ofMillis(500));
    }

    /**
     * Parallelism 2, a checkpoint every {@code checkpointMillis}, no Kryo fallback, and {@code restarts} restarts
     * {@code delay} apart (0: none, so a failure ends the job at once); the one factory the ITs share.
     */
    public static StreamExecutionEnvironment environment(long checkpointMillis, int restarts, Duration delay) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        if (restarts == 0) {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        } else {
            conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, restarts);
            conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, delay);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        env.enableCheckpointing(checkpointMillis);
        return env;
    }

    /** Waits until {@code differences} comes back empty; fails with the last differences otherwise. */
    static void awaitEqual(String what, Duration timeout, JobClient job, Callable<List<String>> differences)
            throws Exception {
        await(what, timeout, Duration.ofSeconds(1), job, differences);
    }

    /**
     * Polls {@code differences} every {@code poll} until it comes back empty; fails at once when the job ends, and
     * with the last differences at {@code timeout}: the one wait loop the ITs share.
     */
    static void await(String what, Duration timeout, Duration poll, JobClient job, Callable<List<String>> differences)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> last = differences.call();
        while (!last.isEmpty()) {
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                fail("The job ended (" + job.getJobStatus().get() + ") while waiting for " + what);
            }
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + timeout + " waiting for " + what + "; " + last.size() + " differences,"
                        + " first: " + last.subList(0, Math.min(5, last.size())));
            }
            Thread.sleep(poll.toMillis());
            last = differences.call();
        }
    }

    /** Waits until {@code job} is RUNNING (a minute at most); returns {@link System#nanoTime()} when it was seen so. */
    public static long awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (job.getJobStatus().get() != JobStatus.RUNNING) {
            if (System.nanoTime() > deadline) {
                fail("The job is not RUNNING after a minute: " + job.getJobStatus().get());
            }
            Thread.sleep(20);
        }
        return System.nanoTime();
    }
}
