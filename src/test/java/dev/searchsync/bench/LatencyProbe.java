package dev.searchsync.bench;

import dev.searchsync.testbed.OpenSearchServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Change-to-visible latency measured from outside the job, so the figure does not rest on the job's own metric: for
 * a sample of writes it polls OpenSearch (a real-time multi-get, no refresh needed) until the document shows that
 * change or a later one, and takes the time from the change's creation.
 */
final class LatencyProbe implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_IDS_PER_GET = 500;

    /** A write to watch: the document, the change's ordinal (in its {@code name}) and its creation time. */
    record Sample(String id, int ordinal, long createdMillis) {}

    private final OpenSearchServer opensearch;
    private final String index;
    private final long pollMillis;
    private final List<Sample> pending;
    /** Per sample seen: its creation time and its latency, in ms. */
    private final List<long[]> seen = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long polls;

    /** {@code samples} in creation order. */
    LatencyProbe(OpenSearchServer opensearch, String index, List<Sample> samples, long pollMillis) {
        this.opensearch = opensearch;
        this.index = index;
        this.pollMillis = pollMillis;
        this.pending = new ArrayList<>(samples);
        thread = new Thread(this::run, "bench-latency-probe");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running && !pending.isEmpty()) {
            long now = System.currentTimeMillis();
            List<Sample> due = new ArrayList<>();
            for (Sample sample : pending) {
                if (sample.createdMillis() > now || due.size() == MAX_IDS_PER_GET) {
                    break;
                }
                due.add(sample);
            }
            if (!due.isEmpty()) {
                check(due);
            }
            polls++;
            try {
                Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void check(List<Sample> due) {
        try {
            List<String> ids = due.stream().map(Sample::id).toList();
            JsonNode docs = opensearch.requestJson("POST", "/" + index + "/_mget?_source_includes=name",
                    JSON.writeValueAsString(Map.of("ids", ids))).path("docs");
            long seen = System.currentTimeMillis();
            for (int i = 0; i < due.size(); i++) {
                JsonNode doc = docs.get(i);
                if (doc.path("found").asBoolean(false)
                        && GeneratedChanges.ordinalOfName(doc.path("_source").path("name").asText("#-1"))
                                >= due.get(i).ordinal()) {
                    this.seen.add(new long[] {due.get(i).createdMillis(), seen - due.get(i).createdMillis()});
                    pending.remove(due.get(i));
                }
            }
        } catch (Exception e) {
            // The index may not exist before the first bulk: the next poll asks again.
        }
    }

    /** Sorted latencies in ms of the samples seen so far that were created at {@code createdFrom} or later. */
    List<Long> latencies(long createdFrom) {
        List<Long> sorted = new ArrayList<>();
        synchronized (seen) {
            seen.stream().filter(s -> s[0] >= createdFrom).forEach(s -> sorted.add(s[1]));
        }
        Collections.sort(sorted);
        return sorted;
    }

    int unseen() {
        return pending.size();
    }

    static long percentile(List<Long> sorted, double p) {
        if (sorted.isEmpty()) {
            return -1;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }
}
