package dev.searchsync.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;

/** The few calls of Flink's REST API (the dashboard's backend) that run-local and its test read. */
public final class FlinkRest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** A job vertex (a chain of operators) as the dashboard lists it. */
    public record Vertex(String id, String name, String status) {}

    public FlinkRest(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** {@code GET path} as JSON; throws {@link UncheckedIOException} when the cluster does not answer 200. */
    public JsonNode get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(5))
                .GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("Flink REST API at " + baseUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + path, e);
        }
    }

    /** The job's state in {@code /jobs/overview}, if the cluster lists it. */
    public Optional<String> jobState(String jobId) {
        for (JsonNode job : get("/jobs/overview").path("jobs")) {
            if (jobId.equals(job.path("jid").asText())) {
                return Optional.of(job.path("state").asText());
            }
        }
        return Optional.empty();
    }

    public List<Vertex> vertices(String jobId) {
        List<Vertex> vertices = new ArrayList<>();
        for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
            vertices.add(new Vertex(vertex.path("id").asText(), vertex.path("name").asText(),
                    vertex.path("status").asText()));
        }
        return vertices;
    }

    /** The first vertex whose name contains {@code operatorName} (chained operators share one vertex). */
    public Optional<Vertex> vertexContaining(String jobId, String operatorName) {
        return vertices(jobId).stream().filter(v -> v.name().contains(operatorName)).findFirst();
    }

    /**
     * Ids of every metric of the vertex's subtasks, as {@code <subtask>.<operator>.<metric>}, for example
     * {@code 0.Order_and_version.lagMillis}.
     */
    public List<String> metricIds(String jobId, String vertexId) {
        List<String> ids = new ArrayList<>();
        for (JsonNode metric : get("/jobs/" + jobId + "/vertices/" + vertexId + "/metrics")) {
            ids.add(metric.path("id").asText());
        }
        return ids;
    }

    /** Current values of the vertex's metrics whose id passes {@code filter}. */
    public Map<String, String> metricValues(String jobId, String vertexId, Predicate<String> filter) {
        List<String> wanted = metricIds(jobId, vertexId).stream().filter(filter).toList();
        Map<String, String> values = new LinkedHashMap<>();
        if (wanted.isEmpty()) {
            return values;
        }
        String get = URLEncoder.encode(String.join(",", wanted), StandardCharsets.UTF_8);
        for (JsonNode metric : get("/jobs/" + jobId + "/vertices/" + vertexId + "/metrics?get=" + get)) {
            values.put(metric.path("id").asText(), metric.path("value").asText());
        }
        return values;
    }

    /** A job-level metric such as {@code numRestarts}, if the cluster reports it. */
    public Optional<String> jobMetric(String jobId, String name) {
        for (JsonNode metric : get("/jobs/" + jobId + "/metrics?get=" + URLEncoder.encode(name, StandardCharsets.UTF_8))) {
            if (name.equals(metric.path("id").asText())) {
                return Optional.of(metric.path("value").asText());
            }
        }
        return Optional.empty();
    }

    /** The largest value over all subtasks of the metric called {@code name} on the vertex running {@code operator}. */
    public OptionalDouble maxMetric(String jobId, String operator, String name) {
        Optional<Vertex> vertex = vertexContaining(jobId, operator);
        if (vertex.isEmpty()) {
            return OptionalDouble.empty();
        }
        return metricValues(jobId, vertex.get().id(), id -> id.endsWith("." + name)).values().stream()
                .filter(v -> !v.isEmpty())
                .mapToDouble(Double::parseDouble)
                .max();
    }
}
