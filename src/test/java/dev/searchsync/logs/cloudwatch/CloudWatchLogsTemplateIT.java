package dev.searchsync.logs.cloudwatch;

import dev.searchsync.config.IndexName;
import dev.searchsync.it.Clusters;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.opensearch.IndexBootstrap;
import dev.searchsync.opensearch.SinkJobs;
import dev.searchsync.opensearch.TestConfigs;
import dev.searchsync.source.kinesis.KinesisRecord;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped index template against a real OpenSearch: it is accepted, and every document the mapper builds
 * indexes under it, even when two parallel instances admitted one {@code @json} path with different kinds, or the
 * index is full: the sink then drops the refused event's {@code @json}, never the event.
 */
class CloudWatchLogsTemplateIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TEMPLATE = "cwl-it-template";
    private static final String PATTERN = "cwl-it-*";
    private static final long T0 = Instant.parse("2026-12-01T10:00:00.000Z").toEpochMilli();
    private static final String DAY = "cwl-it-2026.12.01";

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots(METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @BeforeEach
    void putTheTemplate() throws Exception {
        OpenSearchServer server = OPENSEARCH.server();
        server.deleteIndex(PATTERN);
        ObjectNode body = JSON.createObjectNode();
        body.putArray("index_patterns").add(PATTERN);
        body.set("template", JSON.readTree(IndexBootstrap.loadMapping("cloudwatch-logs.json")));
        // One node: no replica, so the test's indices are green.
        ((ObjectNode) body.path("template").path("settings")).put("number_of_replicas", 0);
        JsonNode answer = server.requestJson("PUT", "/_index_template/" + TEMPLATE, body.toString());
        assertThat(answer.path("acknowledged").asBoolean()).isTrue();
    }

    @AfterEach
    void dropIt() {
        OPENSEARCH.server().deleteIndex(PATTERN);
        OPENSEARCH.server().exchange("DELETE", "/_index_template/" + TEMPLATE, null);
    }

    @Test
    void documentsOfTwoInstancesIndexEvenWhenTheyDisagreeOnALeafsKind() throws Exception {
        CloudWatchLogsMapper first = mapper(500);
        CloudWatchLogsMapper second = mapper(500);
        String longValue = "v".repeat(40_000);
        List<DocumentAction> actions = new ArrayList<>(first.actions(record(LogsPayloads.data("/app/orders", "a")
                .event(LogsPayloads.awsId(1), T0, "{\"code\":1,\"user\":{\"id\":\"u1\"},\"ok\":true,\"at\":\"2026-12-01\"}")
                .event(LogsPayloads.awsId(2), T0, "plain text " + "x".repeat(2_000))
                .event(LogsPayloads.awsId(3), T0, "10.0.0.1 frank 200", Map.of("ip", "10.0.0.1", "status", "200"))
                .gzip())));
        actions.addAll(second.actions(record(LogsPayloads.data("/app/orders", "b")
                .event(LogsPayloads.awsId(1), T0, "{\"code\":\"E42\",\"user\":{\"id\":7},\"ok\":\"yes\","
                        + "\"at\":\"not a date\",\"amount\":1.5,\"long\":\"" + longValue + "\"}")
                .gzip())));
        assertThat(first.jsonMessagesParsed() + second.jsonMessagesParsed()).isEqualTo(2);

        JsonNode bulk = bulk(actions);

        assertThat(bulk.path("errors").asBoolean()).as(bulk.toString()).isFalse();
        OpenSearchServer server = OPENSEARCH.server();
        server.refresh(DAY);
        assertThat(server.count(DAY)).isEqualTo(4);
        JsonNode properties = server.requestJson("GET", "/" + DAY + "/_mapping", null).path(DAY).path("mappings")
                .path("properties");
        assertThat(properties.path("@timestamp").path("type").asText()).isEqualTo("date");
        assertThat(properties.path("@message").path("fields").path("keyword").path("ignore_above").asInt())
                .isEqualTo(1024);
        assertThat(properties.path("@fields").path("properties").path("ip").path("type").asText())
                .isEqualTo("keyword");
        JsonNode json = properties.path("@json").path("properties");
        for (String leaf : List.of("code", "ok", "at", "amount", "long")) {
            assertThat(json.path(leaf).path("type").asText()).as(leaf).isEqualTo("keyword");
        }
        assertThat(json.path("user").path("properties").path("id").path("type").asText()).isEqualTo("keyword");
        // Searchable by either kind's text, and by time.
        assertThat(hits("{\"query\":{\"term\":{\"@json.code\":\"E42\"}}}")).isEqualTo(1);
        assertThat(hits("{\"query\":{\"term\":{\"@json.code\":\"1\"}}}")).isEqualTo(1);
        assertThat(hits("{\"query\":{\"range\":{\"@timestamp\":{\"gte\":\"2026-12-01T10:00:00.000Z\"}}}}")).isEqualTo(4);

        JsonNode again = bulk(actions);
        assertThat(again.path("items")).allSatisfy(item -> assertThat(item.path("create").path("status").asInt())
                .isEqualTo(409));
    }

    @Test
    void aStreamOfThousandsOfDistinctKeysIndexesWholly() throws Exception {
        CloudWatchLogsMapper first = mapper(500);
        CloudWatchLogsMapper second = mapper(500);
        LogsPayloads a = LogsPayloads.data("/app/wide", "a");
        LogsPayloads b = LogsPayloads.data("/app/wide", "b");
        for (int i = 0; i < 2_000; i++) {
            a.event(LogsPayloads.awsId(i), T0, "{\"level\":\"info\",\"a" + i + "\":" + i + "}");
            b.event(LogsPayloads.awsId(i), T0, "{\"level\":\"warn\",\"b" + i + "\":{\"n\":" + i + "}}");
        }
        List<DocumentAction> actions = new ArrayList<>(first.actions(record(a.gzip())));
        actions.addAll(second.actions(record(b.gzip())));

        JsonNode bulk = bulk(actions);

        assertThat(bulk.path("errors").asBoolean()).isFalse();
        OPENSEARCH.server().refresh(DAY);
        assertThat(OPENSEARCH.server().count(DAY)).isEqualTo(4_000);
        int fields = OPENSEARCH.server().requestJson("GET", "/" + DAY + "/_mapping/field/@json.*", null).path(DAY)
                .path("mappings").size();
        assertThat(fields).isLessThanOrEqualTo(500);
        assertThat(first.jsonMessagesOverBudget() + second.jsonMessagesOverBudget()).isGreaterThan(3_000);
    }

    /**
     * What the budget cannot prevent without coordination: one instance admits a path as an object, another as a
     * leaf, and OpenSearch refuses the later document. The sink then indexes it without {@code @json}.
     */
    @Test
    void anObjectAndALeafAtOnePathAcrossInstancesIndexTheLaterEventWithoutItsJson() throws Exception {
        CloudWatchLogsMapper first = mapper(500);
        List<DocumentAction> actions = new ArrayList<>(first.actions(record(LogsPayloads.data("/app/x", "a")
                .event(LogsPayloads.awsId(1), T0, "{\"user\":{\"id\":1}}").gzip())));
        actions.addAll(mapper(500).actions(record(LogsPayloads.data("/app/x", "b")
                .event(LogsPayloads.awsId(1), T0, "{\"user\":\"frank\"}").gzip())));

        JobExecutionResult result = SinkJobs.run(TestConfigs.plain(OPENSEARCH.server().httpUrl()),
                first.reduction(), SinkJobs.FAIL_ON_REJECTED, "cwl-reduce-conflict", actions);

        OpenSearchServer server = OPENSEARCH.server();
        server.refresh(DAY);
        assertThat(server.count(DAY)).isEqualTo(2);
        JsonNode later = server.requestJson("GET", "/" + DAY + "/_doc/" + actions.get(1).getId(), null)
                .path("_source");
        assertThat(later.has("@json")).isFalse();
        assertThat(later.path("@message").asText()).isEqualTo("{\"user\":\"frank\"}");
        assertThat(later.path("@log_stream").asText()).isEqualTo("b");
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), "documentsReduced")).isEqualTo(1);
    }

    /**
     * Budgets are not checkpointed: after restarts, instances may admit more paths than the index's field limit
     * takes. Past the limit OpenSearch refuses new fields, and those events index without {@code @json}.
     */
    @Test
    void pastTheIndexsFieldLimitEventsIndexWithoutTheirJson() throws Exception {
        // The template's limit (1,000) with a day's index created at 60, so the test does not wait for 1,000 mapping
        // updates.
        OPENSEARCH.server().request("PUT", "/" + DAY, "{\"settings\":{\"index.mapping.total_fields.limit\":60}}");
        CloudWatchLogsMapper generous = mapper(4_000);
        LogsPayloads wide = LogsPayloads.data("/app/wide", "a");
        int events = 150;
        for (int i = 0; i < events; i++) {
            wide.event(LogsPayloads.awsId(i), T0, "{\"k" + i + "\":" + i + "}");
        }
        List<DocumentAction> actions = generous.actions(record(wide.gzip()));
        assertThat(generous.jsonMessagesParsed()).isEqualTo(events);

        JobExecutionResult result = SinkJobs.run(TestConfigs.plain(OPENSEARCH.server().httpUrl()),
                generous.reduction(), SinkJobs.FAIL_ON_REJECTED, "cwl-reduce-limit", actions);

        OpenSearchServer server = OPENSEARCH.server();
        server.refresh(DAY);
        assertThat(server.count(DAY)).isEqualTo(events);
        long reduced = SinkJobs.counter(METRICS, result.getJobID(), "documentsReduced");
        long withJson = hits("{\"query\":{\"exists\":{\"field\":\"@json\"}}}");
        assertThat(reduced).isGreaterThan(0);
        assertThat(withJson + reduced).isEqualTo(events);
    }

    private static long hits(String query) {
        return OPENSEARCH.server().requestJson("POST", "/" + DAY + "/_search?size=0", query).path("hits")
                .path("total").path("value").asLong();
    }

    private static JsonNode bulk(List<DocumentAction> actions) throws Exception {
        StringBuilder body = new StringBuilder();
        for (DocumentAction action : actions) {
            ObjectNode meta = JSON.createObjectNode();
            meta.putObject("create").put("_index", action.getIndex()).put("_id", action.getId());
            body.append(meta).append('\n').append(action.getDocument()).append('\n');
        }
        return OPENSEARCH.server().requestJson("POST", "/_bulk", body.toString());
    }

    /** One of two parallel instances. */
    private static CloudWatchLogsMapper mapper(int budget) {
        CloudWatchLogsMapper mapper = new CloudWatchLogsMapper("app-logs",
                IndexName.parse("cwl-it-{yyyy.MM.dd}").orElseThrow(), 16 << 20, true, budget);
        mapper.start(2, new UnregisteredMetricsGroup());
        return mapper;
    }

    private static KinesisRecord record(byte[] data) {
        KinesisRecord record = new KinesisRecord();
        record.setStream("app-logs");
        record.setShardId("shardId-000000000000");
        record.setSequenceNumber("1");
        record.setApproximateArrivalMillis(T0);
        record.setData(data);
        return record;
    }
}
