package dev.searchsync.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.config.JobConfig;
import dev.searchsync.config.PropertyGroups;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.source.kinesis.KinesisRecord;
import dev.searchsync.testbed.MotoExtension;
import dev.searchsync.testbed.MotoServer;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * CloudWatch Logs end to end on moto: log events put through the Logs API reach a Kinesis stream through a
 * subscription filter, and the job at parallelism 2 indexes each exactly once, also across a restart from a
 * checkpoint; JSON messages are parsed under {@code @json}. moto delivers one record per PutLogEvents call, with
 * small integer event ids and no CONTROL_MESSAGE; the decoder's unit tests cover the AWS format.
 */
class CloudWatchLogsIT {
    private static final String GROUP = "/app/orders";
    /** The group as the index name holds it. */
    private static final String GROUP_IN_INDEX = "app-orders";
    private static final String STREAM = "app-logs";

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final MotoExtension MOTO = new MotoExtension();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    private static String cbor;

    /** moto's Kinesis speaks JSON only (local-servers.md): a test-side setting, read when SDK clients are built. */
    @BeforeAll
    static void withoutCbor() {
        cbor = System.getProperty("aws.cborEnabled");
        System.setProperty("aws.cborEnabled", "false");
    }

    @AfterAll
    static void restoreCbor() {
        if (cbor == null) {
            System.clearProperty("aws.cborEnabled");
        } else {
            System.setProperty("aws.cborEnabled", cbor);
        }
    }

    @Test
    void logEventsFromASubscriptionFilterAreIndexedOnceAcrossARestart(@TempDir Path letters) throws Exception {
        MotoServer moto = MOTO.server();
        OpenSearchServer opensearch = OPENSEARCH.server();
        KinesisClient kinesis = moto.configure(KinesisClient.builder(), moto.endpoint()).build();
        CloudWatchLogsClient logs = moto.configure(CloudWatchLogsClient.builder(), moto.endpoint()).build();
        kinesis.createStream(b -> b.streamName(STREAM).shardCount(2));
        String streamArn = kinesis.describeStreamSummary(b -> b.streamName(STREAM)).streamDescriptionSummary()
                .streamARN();
        logs.createLogGroup(b -> b.logGroupName(GROUP));
        logs.createLogStream(b -> b.logGroupName(GROUP).logStreamName("web-1"));
        logs.createLogStream(b -> b.logGroupName(GROUP).logStreamName("web-2"));
        logs.putSubscriptionFilter(b -> b.logGroupName(GROUP).filterName("to-searchsync").filterPattern("")
                .destinationArn(streamArn).roleArn("arn:aws:iam::123456789012:role/cwl-to-kinesis"));

        JobConfig config = JobConfig.from(PropertyGroups.of(Map.of(
                "source", Map.of("type", "cloudwatch-logs", "stream.name", STREAM,
                        "aws.endpoint", moto.endpoint().toString(), "aws.region", moto.region(),
                        "aws.credentials.provider", "STATIC", "aws.access.key.id", moto.accessKey(),
                        "aws.secret.access.key", moto.secretKey(), "shard.discovery.interval.ms", "1000",
                        "poll.interval.ms", "100", "poll.idle.max.interval.ms", "300"),
                "index", Map.of("name", "applogs-e2e-{log_group}-{yyyy.MM.dd}"),
                "opensearch", Map.of("endpoint", opensearch.httpUrl(), "bulk.flush.interval.ms", "200"),
                "deadletter", Map.of("path", letters.toUri().toString()))));
        SearchSyncJob.prepareIndex(config);

        String run = "cloudwatch-logs";
        SearchSyncJob<KinesisRecord> production = SearchSyncJob.cloudWatchLogs(config);
        StreamExecutionEnvironment env = SyncJobs.environment(500, 3, Duration.ofMillis(500));
        production.withSink(new FailingOnceSink<DocumentAction>(production.sink(), run, 60)).addTo(env);
        JobClient job = env.executeAsync(run);
        try {
            Map<String, String> put = new TreeMap<>();
            putLogEvents(logs, put, 0, 15);
            SyncJobs.awaitEqual("the first log events indexed", Duration.ofMinutes(2), job,
                    () -> differences(opensearch, put));
            // Checkpoints come every 500 ms: by now the sink has flushed on two, so the events below make it fail
            // once, after a completed checkpoint, and the job restarts from it.
            Thread.sleep(2_000);
            putLogEvents(logs, put, 15, 30);

            SyncJobs.awaitEqual("every log event indexed once", Duration.ofMinutes(3), job,
                    () -> differences(opensearch, put));
            assertThat(FailingOnceSink.hasFailed(run)).as("the job failed once after a checkpoint").isTrue();
            Map<String, JsonNode> documents = IndexComparison.documents(opensearch, "applogs-e2e-*");
            assertThat(documents.values()).allSatisfy(hit -> {
                JsonNode source = hit.path("_source");
                assertThat(hit.path("_version").asLong()).isEqualTo(1);
                assertThat(source.path("@log_group").asText()).isEqualTo(GROUP);
                // One index per log group and day.
                assertThat(hit.path("_index").asText()).startsWith("applogs-e2e-" + GROUP_IN_INDEX + "-20");
                assertThat(source.path("@log_stream").asText()).isIn("web-1", "web-2");
                assertThat(source.path("@timestamp").asText()).endsWith("Z");
                if (source.path("@message").asText().startsWith("{")) {
                    assertThat(source.path("@json").path("level").asText()).isEqualTo("INFO");
                } else {
                    assertThat(source.has("@json")).isFalse();
                }
            });
        } finally {
            job.cancel().get();
            kinesis.close();
            logs.close();
        }
    }

    /** Puts batches {@code from} to {@code to} (10 events each, every third a JSON object) into two log streams. */
    private static void putLogEvents(CloudWatchLogsClient logs, Map<String, String> put, int from, int to)
            throws InterruptedException {
        for (int batch = from; batch < to; batch++) {
            String logStream = batch % 2 == 0 ? "web-1" : "web-2";
            List<InputLogEvent> events = new ArrayList<>();
            long now = System.currentTimeMillis();
            for (int i = 0; i < 10; i++) {
                String key = "e" + (batch * 10 + i);
                String message = i % 3 == 0
                        ? "{\"event\":\"" + key + "\",\"level\":\"INFO\",\"latencyMs\":" + i + "}"
                        : "GET /orders/" + key + " 200";
                put.put(key, message);
                events.add(InputLogEvent.builder().timestamp(now + i).message(message).build());
            }
            logs.putLogEvents(b -> b.logGroupName(GROUP).logStreamName(logStream).logEvents(events));
            Thread.sleep(50);
        }
    }

    /** Messages put but not indexed once, and documents no message was put for; empty when they agree. */
    private static List<String> differences(OpenSearchServer opensearch, Map<String, String> put) throws Exception {
        Map<String, Integer> indexed = new LinkedHashMap<>();
        try {
            for (JsonNode hit : IndexComparison.documents(opensearch, "applogs-e2e-*").values()) {
                indexed.merge(hit.path("_source").path("@message").asText(), 1, Integer::sum);
            }
        } catch (IllegalStateException e) {
            return List.of("index not ready: " + e.getMessage());
        }
        List<String> differences = new ArrayList<>();
        for (String message : put.values()) {
            Integer count = indexed.remove(message);
            if (count == null || count != 1) {
                differences.add(message + " indexed " + (count == null ? 0 : count) + " times");
            }
        }
        indexed.keySet().forEach(message -> differences.add("unexpected document " + message));
        return differences;
    }
}
