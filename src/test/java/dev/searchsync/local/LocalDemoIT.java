package dev.searchsync.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.searchsync.config.JobConfig;
import dev.searchsync.config.PropertyGroups;
import dev.searchsync.deadletter.DeadLetter;
import dev.searchsync.metrics.ExportedMetrics;
import dev.searchsync.model.FailureStage;
import dev.searchsync.testbed.OpenSearchServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code ./job/run-local} runs, end to end: the demo's servers, the writer and the job on a local cluster whose
 * dashboard answers on a non-default port; documents reach OpenSearch, a poison change becomes a dead letter in the
 * demo's S3 bucket while the job keeps running, the REST API shows the job and searchsync's own metrics, and closing
 * leaves no process or port behind. Then the same for {@code --kinesis} and {@code --logs}, in short.
 */
class LocalDemoIT {
    private static final List<String> ORDER_METRICS =
            List.of("changesApplied", "staleDropped", "duplicatesDropped", "lagMillis");
    private static final String SINK_METRIC = "versionConflicts";

    @TempDir
    Path workDir;

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void syncsTheDemoTableShowsTheJobAndItsMetricsAndStopsCleanly() throws Exception {
        Set<Long> childrenBefore = aliveChildren();
        int restPort = freePort();
        LocalDemo demo = new LocalDemo(new LocalDemo.Options().restPort(restPort).workDir(workDir));
        List<Integer> ports = new ArrayList<>();
        try {
            demo.start();
            ports.addAll(List.of(restPort, demo.opensearch().port(), demo.opensearch().transportPort(),
                    demo.s3proxy().port()));
            ports.addAll(demo.input().ports());
            assertThat(demo.restUrl()).isEqualTo("http://127.0.0.1:" + restPort);

            // The file a user copies is a valid configuration for these very servers.
            Path properties = workDir.resolve(LocalDemo.PROPERTIES_FILE_NAME);
            assertThat(demo.propertiesFile()).isEqualTo(properties);
            JobConfig config = JobConfig.from(PropertyGroups.fromJsonFile(properties));
            assertThat(config.indexName()).isEqualTo(LocalDemo.INDEX);
            assertThat(config.index().mapping()).contains("job/index-templates/demo-orders.json");
            assertThat(config.opensearch().endpoints().get(0).toString()).isEqualTo(demo.opensearch().httpUrl());
            assertThat(config.deadLetters().path()).isEqualTo("s3://" + LocalDemo.DEAD_LETTER_BUCKET + "/"
                    + LocalDemo.DEAD_LETTER_FOLDER);

            await(demo, "documents in the index", Duration.ofSeconds(60),
                    () -> demo.documentCount().orElse(0L) > 0);
            // The first poison order is the writer's 100th change; its letter is committed with a checkpoint.
            await(demo, "a dead letter in the demo's bucket", Duration.ofSeconds(60),
                    () -> !demo.deadLetters().isEmpty());
            DeadLetter letter = demo.deadLetters().get(0);
            assertThat(letter.getAction().getId()).startsWith(DemoWriter.POISON_CUSTOMER + "|poison-");
            assertThat(letter.stage()).isEqualTo(FailureStage.INDEX);
            assertThat(letter.getError().getType()).isEqualTo("mapper_parsing_exception");
            // The refused document: the change's images do not cross the keyBy.
            assertThat(letter.getAction().getDocument()).contains("two, please");
            assertThat(demo.progressLine()).containsPattern("dead letters [1-9]");

            FlinkRest rest = demo.rest();
            assertThat(rest.jobState(demo.jobId())).contains("RUNNING");

            FlinkRest.Vertex order = rest.vertexContaining(demo.jobId(), LocalDemo.ORDER_OPERATOR).orElseThrow();
            FlinkRest.Vertex sink = rest.vertexContaining(demo.jobId(), "OpenSearch").orElseThrow();
            FlinkRest.Vertex source = rest.vertexContaining(demo.jobId(), "DynamoDB stream").orElseThrow();
            await(demo, "searchsync's metrics in the REST API", Duration.ofSeconds(30), () ->
                    ORDER_METRICS.stream().allMatch(name -> hasMetric(rest, demo.jobId(), order.id(), name))
                            && hasMetric(rest, demo.jobId(), sink.id(), SINK_METRIC)
                            // The two the Terraform alarms read on CloudWatch, where MSF sends only this group.
                            && hasMetric(rest, demo.jobId(), source.id(),
                                    ExportedMetrics.GROUP + "." + ExportedMetrics.MILLIS_BEHIND_LATEST)
                            && hasMetric(rest, demo.jobId(), sink.id(),
                                    ExportedMetrics.GROUP + "." + ExportedMetrics.DEAD_LETTERS_PER_SECOND));
            // Values, not only names: changes went through the order operator and its lag gauge reports.
            await(demo, "changesApplied counting", Duration.ofSeconds(20), () -> sum(rest.metricValues(demo.jobId(),
                    order.id(), id -> id.endsWith(".changesApplied"))) > 0);
            assertThat(demo.lagMillis()).isPresent();
            assertThat(demo.progressLine()).contains("written", "docs", "job RUNNING");
            assertThat(demo.writer().failure()).isNull();
            // The demo's items all fit the strict mapping and nothing failed on the way: no restart so far.
            assertThat(rest.jobMetric(demo.jobId(), "numRestarts")).contains("0");
        } finally {
            demo.close();
        }
        assertNothingLeft(demo, childrenBefore, ports);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void kinesisDemoIndexesEventsPerDayAndDeadLettersThePoisonRecord() throws Exception {
        Set<Long> childrenBefore = aliveChildren();
        int restPort = freePort();
        LocalDemo demo = new LocalDemo(LocalDemo.Options.parse("--kinesis", "--rest-port", Integer.toString(restPort))
                .workDir(workDir));
        List<Integer> ports = new ArrayList<>();
        try {
            demo.start();
            ports.addAll(List.of(restPort, demo.opensearch().port(), demo.opensearch().transportPort(),
                    demo.s3proxy().port()));
            ports.addAll(demo.input().ports());

            JobConfig config = JobConfig.from(PropertyGroups.fromJsonFile(demo.propertiesFile()));
            assertThat(config.source().type()).isEqualTo("kinesis");
            assertThat(config.source().kinesisStream()).isEqualTo(KinesisDemoWriter.STREAM);
            assertThat(config.indexName()).isEqualTo("demo-events-{yyyy.MM.dd}");
            assertThat(config.events().idField()).isEmpty();
            assertThat(config.events().timestampField()).contains("/at");

            await(demo, "documents in demo-events-*", Duration.ofSeconds(40),
                    () -> demo.documentCount().orElse(0L) > 0);
            // One index per UTC day of the events' "at", made from the template.
            OpenSearchServer.Response indices =
                    demo.opensearch().exchange("GET", "/_cat/indices/demo-events-*?h=index", null);
            assertThat(indices.body().strip().split("\\s+"))
                    .allMatch(name -> name.matches("demo-events-\\d{4}\\.\\d{2}\\.\\d{2}"));
            // The first poison record follows the writer's 100th event; its letter is committed with a checkpoint.
            await(demo, "a dead letter in the demo's bucket", Duration.ofSeconds(40),
                    () -> !demo.deadLetters().isEmpty());
            DeadLetter letter = demo.deadLetters().get(0);
            assertThat(letter.stage()).isEqualTo(FailureStage.DECODE);
            assertThat(letter.getOrigin().getInput()).isEqualTo(KinesisDemoWriter.STREAM);
            assertThat(new String(letter.getRecord().toBytes(), StandardCharsets.UTF_8))
                    .isEqualTo(KinesisDemoWriter.POISON_DATA);
            await(demo, "the source's lag", Duration.ofSeconds(20), () -> demo.lagMillis().isPresent());
            assertThat(demo.progressLine()).contains("written", "events", "indices demo-events-*", "job RUNNING")
                    .containsPattern("dead letters [1-9]");
            assertThat(demo.writer().failure()).isNull();
        } finally {
            demo.close();
        }
        assertNothingLeft(demo, childrenBefore, ports);
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void logsDemoIndexesLogEventsWithJsonMessagesAsFields() throws Exception {
        Set<Long> childrenBefore = aliveChildren();
        int restPort = freePort();
        // As run-local --logs sets it: moto's Kinesis speaks JSON only, read when SDK clients are built.
        String cbor = System.getProperty(CloudWatchLogsDemoInput.CBOR_PROPERTY);
        System.setProperty(CloudWatchLogsDemoInput.CBOR_PROPERTY, "false");
        LocalDemo demo = new LocalDemo(LocalDemo.Options.parse("--logs", "--rest-port", Integer.toString(restPort))
                .workDir(workDir));
        List<Integer> ports = new ArrayList<>();
        try {
            demo.start();
            ports.addAll(List.of(restPort, demo.opensearch().port(), demo.opensearch().transportPort(),
                    demo.s3proxy().port()));
            ports.addAll(demo.input().ports());

            JobConfig config = JobConfig.from(PropertyGroups.fromJsonFile(demo.propertiesFile()));
            assertThat(config.source().type()).isEqualTo("cloudwatch-logs");
            assertThat(config.source().kinesisStream()).isEqualTo(CloudWatchLogsDemoInput.STREAM);
            assertThat(config.indexName()).isEqualTo("cwl-{yyyy.MM.dd}");

            // Both kinds of message, from the log group through the subscription filter and the stream.
            await(demo, "a plain text log event in cwl-*", Duration.ofSeconds(40),
                    () -> count(demo, "{\"query\":{\"bool\":{\"must_not\":{\"exists\":"
                            + "{\"field\":\"@json\"}}}}}") > 0);
            await(demo, "a JSON log event with @json fields in cwl-*", Duration.ofSeconds(20),
                    () -> count(demo, "{\"query\":{\"exists\":{\"field\":\"@json.level\"}}}") > 0);
            OpenSearchServer.Response indices = demo.opensearch().exchange("GET", "/_cat/indices/cwl-*?h=index", null);
            assertThat(indices.body().strip().split("\\s+"))
                    .allMatch(name -> name.matches("cwl-\\d{4}\\.\\d{2}\\.\\d{2}"));
            assertThat(count(demo, "{\"query\":{\"bool\":{\"must_not\":{\"term\":{\"@log_group\":\""
                    + LogsDemoWriter.LOG_GROUP + "\"}}}}}")).as("documents from another log group").isZero();
            await(demo, "the source's lag", Duration.ofSeconds(20), () -> demo.lagMillis().isPresent());
            assertThat(demo.progressLine()).contains("written", "log events", "indices cwl-*", "dead letters 0",
                    "job RUNNING");
            assertThat(demo.writer().failure()).isNull();
        } finally {
            demo.close();
            if (cbor == null) {
                System.clearProperty(CloudWatchLogsDemoInput.CBOR_PROPERTY);
            } else {
                System.setProperty(CloudWatchLogsDemoInput.CBOR_PROPERTY, cbor);
            }
        }
        assertNothingLeft(demo, childrenBefore, ports);
    }

    /**
     * Documents in {@code cwl-*} that {@code query} matches; 0 while a day's index, just created by the first
     * write, answers 503 until its shards are allocated.
     */
    private static long count(LocalDemo demo, String query) throws IOException {
        OpenSearchServer.Response response = demo.opensearch().exchange("POST", "/cwl-*/_count", query);
        if (response.status() == 503) {
            return 0;
        }
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return new ObjectMapper().readTree(response.body()).path("count").asLong();
    }

    /** No server process started for the demo, no port held. */
    private static void assertNothingLeft(LocalDemo demo, Set<Long> childrenBefore, List<Integer> ports) {
        Set<Long> leftovers = aliveChildren();
        leftovers.removeAll(childrenBefore);
        assertThat(leftovers).as("processes started by the demo still alive").isEmpty();
        for (int port : ports) {
            assertThat(isFree(port)).as("port %d is free", port).isTrue();
        }
        assertThat(demo.opensearch().isRunning()).isFalse();
        assertThat(demo.s3proxy().isRunning()).isFalse();
        assertThat(demo.input().isRunning()).isFalse();
    }

    private static boolean hasMetric(FlinkRest rest, String jobId, String vertexId, String name) {
        return rest.metricIds(jobId, vertexId).stream().anyMatch(id -> id.endsWith("." + name));
    }

    private static double sum(Map<String, String> values) {
        return values.values().stream().filter(v -> !v.isEmpty()).mapToDouble(Double::parseDouble).sum();
    }

    private static Set<Long> aliveChildren() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Free on every address, not only loopback. */
    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    /** Waits for {@code condition}; fails at once, with the job's error, when the job is no longer running. */
    private static void await(LocalDemo demo, String what, Duration timeout, Callable<Boolean> condition)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            requireRunning(demo, what);
            try {
                if (condition.call()) {
                    return;
                }
                last = null;
            } catch (RuntimeException e) {
                last = e; // The REST API or the index may not answer yet.
            }
            Thread.sleep(500);
        }
        fail("Timed out after " + timeout.toSeconds() + " s waiting for " + what
                + (last == null ? "" : "; last error: " + last) + "; " + demo.progressLine());
    }

    private static void requireRunning(LocalDemo demo, String what) throws Exception {
        JobStatus status = demo.job().getJobStatus().get(10, TimeUnit.SECONDS);
        if (status.isGloballyTerminalState()) {
            String cause;
            try {
                demo.job().getJobExecutionResult().get(10, TimeUnit.SECONDS);
                cause = "no error";
            } catch (ExecutionException e) {
                Throwable root = e;
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                cause = root.toString();
            }
            fail("The job ended (" + status + ") while waiting for " + what + ": " + cause);
        }
        if (demo.restarts() > 0) {
            fail("The job restarted " + demo.restarts() + " time(s) while waiting for " + what
                    + "; see the log above for the failure");
        }
    }
}
