package dev.searchsync.bench;

import dev.searchsync.local.FlinkRest;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the benchmark reads of a running job through Flink's REST API, the way an operator would see it: per-vertex
 * busy/back-pressured/idle time sampled during a run, edge counts, checkpoint sizes and the sink's own metrics, which
 * may not exist yet in the code under test (then absent, never a failure).
 */
final class JobMetrics implements AutoCloseable {
    private static final String[] TIMES = {"busyTimeMsPerSecond", "backPressuredTimeMsPerSecond", "idleTimeMsPerSecond"};

    private final FlinkRest rest;
    private final String jobId;
    /** Per vertex name: the sum of each TIMES average over the samples, and the number of samples. */
    private final Map<String, double[]> timeSums = new ConcurrentHashMap<>();
    private Thread sampler;
    private volatile boolean sampling;

    JobMetrics(FlinkRest rest, String jobId) {
        this.rest = rest;
        this.jobId = jobId;
    }

    /** Samples every vertex's busy, back-pressured and idle time every second until {@link #close}. */
    JobMetrics startSampling() {
        sampling = true;
        sampler = new Thread(() -> {
            while (sampling) {
                try {
                    sampleTimes();
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // The job may be starting or ending: a missed sample is only one less in the average.
                }
            }
        }, "bench-rest-sampler");
        sampler.setDaemon(true);
        sampler.start();
        return this;
    }

    private void sampleTimes() {
        String get = URLEncoder.encode(String.join(",", TIMES), StandardCharsets.UTF_8);
        for (FlinkRest.Vertex vertex : rest.vertices(jobId)) {
            JsonNode values = rest.get("/jobs/" + jobId + "/vertices/" + vertex.id() + "/subtasks/metrics?get=" + get);
            if (values.size() < TIMES.length) {
                continue;
            }
            double[] sums = timeSums.computeIfAbsent(vertex.name(), n -> new double[TIMES.length + 1]);
            for (JsonNode metric : values) {
                for (int i = 0; i < TIMES.length; i++) {
                    if (TIMES[i].equals(metric.path("id").asText())) {
                        sums[i] += metric.path("avg").asDouble();
                    }
                }
            }
            sums[TIMES.length]++;
        }
    }

    @Override
    public void close() throws InterruptedException {
        sampling = false;
        if (sampler != null) {
            sampler.interrupt();
            sampler.join();
        }
    }

    /** One line per vertex: mean over the samples of the subtasks' average busy / back-pressured / idle ms per s. */
    void printTimes(Consumer<String> out) {
        out.accept(String.format("  %-70s %6s %6s %6s %s", "vertex (subtask average, ms per s)", "busy", "backpr",
                "idle", "samples"));
        timeSums.forEach((name, sums) -> out.accept(String.format("  %-70s %6.0f %6.0f %6.0f %d",
                name.length() > 70 ? name.substring(0, 67) + "..." : name, sums[0] / sums[3], sums[1] / sums[3],
                sums[2] / sums[3], (long) sums[3])));
    }

    Optional<FlinkRest.Vertex> vertex(String nameStart) {
        return rest.vertices(jobId).stream().filter(v -> v.name().startsWith(nameStart)).findFirst();
    }

    /** {@code write-records} and {@code write-bytes} (numRecordsOut, numBytesOut) of the vertex, summed over subtasks. */
    long[] recordsAndBytesOut(String nameStart) {
        for (JsonNode vertex : rest.get("/jobs/" + jobId).path("vertices")) {
            if (vertex.path("name").asText().startsWith(nameStart)) {
                return new long[] {vertex.path("metrics").path("write-records").asLong(),
                        vertex.path("metrics").path("write-bytes").asLong()};
            }
        }
        throw new IllegalStateException("No vertex " + nameStart + " in " + rest.vertices(jobId));
    }

    /**
     * Every subtask's value of the metrics of the vertex holding {@code operator} whose id ends with
     * {@code "." + name} (the REST id is {@code <subtask>.<operator>.<name>}).
     */
    Map<String, String> metric(String operator, String name) {
        Optional<FlinkRest.Vertex> vertex = rest.vertexContaining(jobId, operator);
        if (vertex.isEmpty()) {
            return Map.of();
        }
        return rest.metricValues(jobId, vertex.get().id(), id -> id.endsWith("." + name));
    }

    /** The sum over subtasks of a counter, if the job has it. */
    OptionalLong counter(String operator, String name) {
        Map<String, String> values = metric(operator, name);
        if (values.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(values.values().stream().mapToLong(v -> (long) Double.parseDouble(v)).sum());
    }

    /** The ids of the vertex's metrics that contain {@code part}, to report what exists under which name. */
    List<String> metricIdsContaining(String operator, String part) {
        Optional<FlinkRest.Vertex> vertex = rest.vertexContaining(jobId, operator);
        List<String> ids = new ArrayList<>();
        vertex.ifPresent(v -> rest.metricIds(jobId, v.id()).stream().filter(id -> id.contains(part)).forEach(ids::add));
        return ids;
    }

    /** The latest completed checkpoint: id, state size and trigger time, if there is one. */
    Optional<Map<String, Long>> lastCheckpoint() {
        JsonNode completed = rest.get("/jobs/" + jobId + "/checkpoints").path("latest").path("completed");
        if (completed.isMissingNode() || completed.isNull()) {
            return Optional.empty();
        }
        Map<String, Long> checkpoint = new LinkedHashMap<>();
        checkpoint.put("id", completed.path("id").asLong());
        checkpoint.put("state_size", completed.path("state_size").asLong());
        checkpoint.put("checkpointed_size", completed.path("checkpointed_size").asLong());
        checkpoint.put("trigger_timestamp", completed.path("trigger_timestamp").asLong());
        return Optional.of(checkpoint);
    }
}
