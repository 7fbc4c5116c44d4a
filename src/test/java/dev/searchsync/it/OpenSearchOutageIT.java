package dev.searchsync.it;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.config.JobConfig;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;
import dev.searchsync.testbed.S3FileSystems;
import dev.searchsync.testbed.S3ProxyExtension;
import dev.searchsync.testbed.S3ProxyServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenSearch goes away for 60 s while changes keep coming: the production pipeline (dead letters on S3) retries its
 * bulk requests for as long as its retry budget lasts (~23 s), then fails and restarts from its last checkpoint until
 * OpenSearch answers again, and then catches up, so the index equals the table and no change was dead-lettered for
 * what was only the cluster's outage.
 */
class OpenSearchOutageIT {
    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchOutageIT.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String NAME = "outage";
    private static final String BUCKET = "outage-letters";
    private static final Duration BEFORE_OUTAGE = Duration.ofSeconds(10);
    private static final Duration OUTAGE = Duration.ofSeconds(60);
    private static final Duration WRITES_AFTER_OUTAGE = Duration.ofSeconds(5);
    private static final int CHANGES_PER_SECOND = 40;

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    @AfterAll
    static void resetFileSystems() {
        S3FileSystems.reset();
    }

    @Test
    void jobRestartsThroughAnOutageAndTheIndexCatchesUp() throws Exception {
        MotoServer moto = MOTO.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        S3ProxyServer s3 = S3.server();
        S3FileSystems.useS3Proxy(s3);
        if (!s3.client().listBuckets().buckets().stream().anyMatch(b -> b.name().equals(BUCKET))) {
            s3.createBucket(BUCKET);
        }
        String streamArn = moto.createTableWithStream(NAME, TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
        opensearch.deleteIndex(NAME);
        JobConfig config = SyncJobs.config(moto, opensearch, streamArn, NAME,
                Map.of("deadletter", Map.of("path", "s3://" + BUCKET + "/dead")));
        SearchSyncJob.prepareIndex(config);

        // Managed Service for Apache Flink restarts a failing job indefinitely (fixed delay, 10 s); here a bounded
        // fixed delay of 1 s that rides out well over 60 s of outage (each attempt fails once its first bulk request
        // has used up its retries) but still ends a job that can never recover.
        StreamExecutionEnvironment env = SyncJobs.environment(1_000, 150, Duration.ofSeconds(1));
        SearchSyncJob.fromConfig(config).addTo(env);
        JobClient job = env.executeAsync(NAME);
        String jobId = job.getJobID().toString();

        TypedWorkload workload = new TypedWorkload(moto.client(), NAME, 1_500, 11);
        PacedWriter writer = new PacedWriter(workload, CHANGES_PER_SECOND);
        long began = System.nanoTime();
        try {
            writer.start();
            awaitIndexGrows(opensearch, 0, Duration.ofSeconds(60));
            sleepUntil(began + BEFORE_OUTAGE.toNanos());
            assertThat(job.getJobStatus().get()).as("job status before the outage").isEqualTo(JobStatus.RUNNING);
            opensearch.refresh(NAME);
            long countAtStop = opensearch.count(NAME);

            long stopping = System.nanoTime();
            long stoppingMillis = System.currentTimeMillis();
            long ready;
            long readyMillis;
            int writtenAtStop = writer.written();
            int writtenAtRestart;
            try {
                opensearch.stop();
                LOG.info("OpenSearch stopped after {} changes and {} documents; down for {} s now",
                        writer.written(), countAtStop, OUTAGE.toSeconds());
                sleepUntil(stopping + OUTAGE.toNanos());
                LOG.info("End of the outage; job {}", job.getJobStatus().get());
            } finally {
                // Shared by every test class of the run: it must be up again whatever happened here.
                writtenAtRestart = writer.written();
                opensearch.start();
                ready = System.nanoTime();
                readyMillis = System.currentTimeMillis();
            }
            LOG.info("OpenSearch up again {} ms after it was stopped", millis(ready - stopping));

            Duration sinceReady = awaitIndexGrows(opensearch, countAtStop, Duration.ofSeconds(90));
            LOG.info("Index changing again {} ms after OpenSearch was ready", sinceReady.toMillis());
            sleepUntil(ready + WRITES_AFTER_OUTAGE.toNanos());
            writer.finish();
            LOG.info("Writer done: {} changes in {} ms", workload.written(), millis(System.nanoTime() - began));

            KeySchema schema = KeySchema.of(TypedWorkload.HASH_KEY, TypedWorkload.RANGE_KEY);
            List<Map<String, AttributeValue>> table = workload.scan();
            long finished = System.nanoTime();
            SyncJobs.awaitEqual("the index to equal the table after the outage", Duration.ofMinutes(3), job,
                    () -> IndexComparison.differences(table, schema, opensearch, NAME));
            JsonNode failures = rest("/jobs/" + jobId + "/exceptions?maxExceptions=100").path("exceptionHistory");
            List<String> outageFailures = new ArrayList<>();
            for (JsonNode failure : failures.path("entries")) {
                long at = failure.path("timestamp").asLong();
                if (at >= stoppingMillis && at <= readyMillis) {
                    outageFailures.add(firstLines(failure.path("stacktrace").asText("")));
                }
            }
            long restarts = numRestarts(jobId);
            LOG.info("Index equals the table ({} items) {} ms after the last change, {} ms after OpenSearch was "
                    + "ready; numRestarts {}, {} failures in the outage in the exception history (truncated: {}), "
                    + "the latest: {}", table.size(), millis(System.nanoTime() - finished),
                    millis(System.nanoTime() - ready), restarts, outageFailures.size(),
                    failures.path("truncated").asBoolean(), outageFailures.isEmpty() ? "-" : outageFailures.get(0));

            // Paced at 40 changes/s: moto takes about that while it also serves the job's reads.
            assertThat(writtenAtRestart - writtenAtStop).as("changes written while OpenSearch was down")
                    .isGreaterThan(300);
            // The job failed and restarted while OpenSearch was down, not only caught up afterwards.
            assertThat(outageFailures).as("job failures while OpenSearch was down").isNotEmpty();
            assertThat(restarts).as("numRestarts").isPositive();
            assertThat(job.getJobStatus().get()).as("job status after the outage").isEqualTo(JobStatus.RUNNING);
            assertThat(deadLetterObjects(s3)).as("dead letters under s3://" + BUCKET + "/dead/").isEmpty();
            assertThat(pendingDeadLetterUploads(s3)).as("unfinished dead-letter uploads").isZero();
        } finally {
            writer.halt();
            if (!opensearch.isRunning()) {
                opensearch.start();
            }
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get();
            }
        }
        writer.rethrow();
    }

    /** Waits until the document count differs from {@code from}; how long that took. */
    private static Duration awaitIndexGrows(OpenSearchServer opensearch, long from, Duration timeout)
            throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        while (true) {
            opensearch.refresh(NAME);
            long count = opensearch.count(NAME);
            if (count != from) {
                return Duration.ofNanos(System.nanoTime() - started);
            }
            assertThat(System.nanoTime()).as("index count still " + from + " after " + timeout).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    /** Every object under the dead-letter prefix, with its first line, to show what went there. */
    private static List<String> deadLetterObjects(S3ProxyServer s3) {
        List<String> objects = new ArrayList<>();
        for (S3Object object : s3.client().listObjectsV2(b -> b.bucket(BUCKET).prefix("dead/")).contents()) {
            String body = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(object.key())).asUtf8String();
            objects.add(object.key() + ": " + body.lines().findFirst().orElse("(empty)"));
        }
        return objects;
    }

    /** Multipart uploads the dead-letter file sink has begun but not committed (letters awaiting a checkpoint). */
    private static int pendingDeadLetterUploads(S3ProxyServer s3) {
        return s3.client().listMultipartUploads(b -> b.bucket(BUCKET).prefix("dead/")).uploads().size();
    }

    /**
     * The job's {@code numRestarts} metric as the REST API reports it: from a cache the metric fetcher refreshes at
     * most every 10 s, and only after the request that found it stale, so it is read late and is only a second signal.
     */
    private long numRestarts(String jobId) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            // The metric fetcher may answer an empty list until it has fetched once.
            for (JsonNode metric : rest("/jobs/" + jobId + "/metrics?get=numRestarts")) {
                if ("numRestarts".equals(metric.path("id").asText())) {
                    return Long.parseLong(metric.path("value").asText());
                }
            }
            assertThat(System.nanoTime()).as("numRestarts metric of job " + jobId).isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /** A failure's first line and its causes' first lines, as the dashboard's exceptions tab shows them. */
    private static String firstLines(String trace) {
        List<String> lines = new ArrayList<>();
        for (String line : trace.split("\n")) {
            if (lines.isEmpty() || line.startsWith("Caused by")) {
                lines.add(line.strip());
            }
        }
        return String.join(" <- ", lines);
    }

    private JsonNode rest(String path) throws Exception {
        Configuration client = FLINK.getClientConfiguration();
        URI uri = URI.create("http://" + client.get(RestOptions.ADDRESS) + ":" + client.get(RestOptions.PORT) + path);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static long millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    /** Writes the workload at a steady pace on its own thread until {@link #finish()}. */
    private static final class PacedWriter extends Thread {
        private final TypedWorkload workload;
        private final long intervalNanos;
        private volatile boolean finishing;
        private volatile int written;
        private volatile Throwable failure;

        PacedWriter(TypedWorkload workload, int perSecond) {
            super("outage-writer");
            setDaemon(true);
            this.workload = workload;
            this.intervalNanos = TimeUnit.SECONDS.toNanos(1) / perSecond;
        }

        @Override
        public void run() {
            try {
                long next = System.nanoTime();
                while (!finishing) {
                    workload.write(1);
                    written = workload.written();
                    next += intervalNanos;
                    // A steady pace: after a stall (a slow moto on a busy machine) no burst to catch up.
                    next = Math.max(next, System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
                    sleepUntil(next);
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        int written() {
            return written;
        }

        /** Stops writing and waits for the last change; the workload is then safe to read from this thread. */
        void finish() throws InterruptedException {
            finishing = true;
            join(TimeUnit.SECONDS.toMillis(30));
            rethrow();
        }

        /** As {@link #finish()} without reporting a failure, for cleanup. */
        void halt() throws InterruptedException {
            finishing = true;
            join(TimeUnit.SECONDS.toMillis(30));
        }

        void rethrow() {
            if (failure != null) {
                throw new AssertionError("the writer failed after " + written + " changes", failure);
            }
        }
    }
}
