package dev.searchsync.bench;

import dev.searchsync.cdc.dynamodb.ItemDocuments;
import dev.searchsync.testbed.OpenSearchServer;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The ceiling the job is measured against: the workload's actions sent straight to OpenSearch's {@code _bulk}, as
 * the job would send them (the same documents and ids, external versions), with nothing in between.
 */
final class RawBulk {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RawBulk() {}

    /** Actions sent and the seconds from the first request to the last answer. */
    record Result(int actions, int bulks, double seconds, long bodyBytes) {
        double perSecond() {
            return actions / seconds;
        }
    }

    /**
     * One action per change, in bulks of {@code bulkSize} over {@code threads} threads. A key's actions all go
     * through one thread, in order, so the index ends as the table does, as it would with the job.
     */
    static Result run(OpenSearchServer opensearch, String index, GeneratedChanges changes, int bulkSize, int threads)
            throws Exception {
        List<List<StringBuilder>> bodies = new ArrayList<>();
        List<Integer> inCurrent = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            bodies.add(new ArrayList<>(List.of(new StringBuilder())));
            inCurrent.add(0);
        }
        // Built before the clock starts: the job's own rendering is part of what it is measured on, not this.
        for (GeneratedChanges.Change change : changes.changes()) {
            String id = change.documentId();
            int thread = Math.floorMod(id.hashCode(), threads);
            if (inCurrent.get(thread) == bulkSize) {
                bodies.get(thread).add(new StringBuilder());
                inCurrent.set(thread, 0);
            }
            StringBuilder body = bodies.get(thread).get(bodies.get(thread).size() - 1);
            Map<String, Object> meta = Map.of("_index", index, "_id", id, "version", change.ordinal() + 1L,
                    "version_type", "external");
            if (change.newImage() == null) {
                body.append(JSON.writeValueAsString(Map.of("delete", meta))).append('\n');
            } else {
                body.append(JSON.writeValueAsString(Map.of("index", meta))).append('\n')
                        .append(ItemDocuments.toJson(change.newImage())).append('\n');
            }
            inCurrent.set(thread, inCurrent.get(thread) + 1);
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        URI bulk = URI.create(opensearch.httpUrl() + "/_bulk");
        long bytes = bodies.stream().flatMap(List::stream).mapToLong(b -> b.length()).sum();
        int bulks = bodies.stream().mapToInt(List::size).sum();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (List<StringBuilder> mine : bodies) {
                workers.add(pool.submit(() -> {
                    for (StringBuilder body : mine) {
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(bulk)
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
                        String head = response.body().substring(0, Math.min(60, response.body().length()));
                        if (response.statusCode() != 200 || !head.contains("\"errors\":false")) {
                            throw new IllegalStateException("bulk answered " + response.statusCode() + ": "
                                    + response.body().substring(0, Math.min(2_000, response.body().length())));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Result(changes.changes().size(), bulks, (System.nanoTime() - start) / 1e9, bytes);
    }
}
