package dev.searchsync.logs.cloudwatch;

import dev.searchsync.config.IndexName;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.Op;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;
import dev.searchsync.model.UndecodableRecordException;
import dev.searchsync.source.kinesis.KinesisRecord;
import dev.searchsync.validate.DocumentLimits;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a CloudWatch Logs record means: one created document per log event, under an id that survives redelivery. */
class CloudWatchLogsMapperTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = Instant.parse("2026-12-01T09:59:58.007Z").toEpochMilli();
    private static final long ARRIVAL = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
    private static final String SEQUENCE = "49590338271490256608559692538361571095921575989136588898";
    private static final String GROUP = "/aws/lambda/orders";
    private static final String STREAM = "2026/12/01/[$LATEST]0123456789abcdef";
    private static final int LIMIT = 16 * 1024 * 1024;

    @Test
    void eachLogEventIsCreatedAsADocumentInItsDaysIndex() throws Exception {
        CloudWatchLogsMapper mapper = mapper(true, 500);
        byte[] data = LogsPayloads.data(GROUP, STREAM)
                .event(LogsPayloads.awsId(1), T0, "START RequestId: 42 Version: $LATEST")
                .event(LogsPayloads.awsId(2), Instant.parse("2026-12-02T00:00:00Z").toEpochMilli(), "next day \"q\"\n")
                .gzip();

        List<DocumentAction> actions = mapper.actions(record("shardId-000000000002", SEQUENCE, data));

        assertThat(actions).extracting(DocumentAction::getOp).containsOnly(Op.CREATE);
        assertThat(actions).extracting(DocumentAction::getIndex).containsExactly("cwl-2026.12.01", "cwl-2026.12.02");
        assertThat(actions.get(0).getDocument()).isEqualTo("{\"@timestamp\":\"2026-12-01T09:59:58.007Z\","
                + "\"@message\":\"START RequestId: 42 Version: $LATEST\",\"@owner\":\"123456789012\","
                + "\"@log_group\":\"/aws/lambda/orders\",\"@log_stream\":\"2026/12/01/[$LATEST]0123456789abcdef\","
                + "\"@id\":\"" + LogsPayloads.awsId(1) + "\"}");
        assertThat(actions.get(1).getDocument()).contains("\"@timestamp\":\"2026-12-02T00:00:00.000Z\"",
                "\"@message\":\"next day \\\"q\\\"\\n\"");
        assertThat(actions.get(0).getId()).isEqualTo(sha256(GROUP, STREAM, LogsPayloads.awsId(1))).hasSize(64);
        assertCounted(actions);

        Origin origin = actions.get(1).getOrigin();
        assertThat(origin.getInput()).isEqualTo("app-logs");
        assertThat(origin.getKind()).isEqualTo("cloudwatch-logs");
        assertThat(origin.getShard()).isEqualTo("shardId-000000000002");
        assertThat(origin.getParentShard()).isEqualTo("shardId-000000000000");
        assertThat(origin.getSequence()).isEqualTo(SEQUENCE);
        assertThat(origin.getSubSequence()).isEqualTo(1);
        assertThat(origin.getEventTime()).isEqualTo(Instant.parse("2026-12-02T00:00:00Z").toEpochMilli());
        assertThat(origin.getEventId()).isEqualTo(LogsPayloads.awsId(2));
        assertThat(mapper.origin(record("shardId-000000000002", SEQUENCE, data)).getEventTime()).isEqualTo(ARRIVAL);
    }

    @Test
    void idsStayTheSameWhenAnotherRecordDeliversTheSameEvents() throws Exception {
        CloudWatchLogsMapper mapper = mapper(true, 500);
        byte[] first = LogsPayloads.data(GROUP, STREAM).event(LogsPayloads.awsId(1), T0, "a")
                .event(LogsPayloads.awsId(2), T0, "b").gzip();
        byte[] again = LogsPayloads.data(GROUP, STREAM).event(LogsPayloads.awsId(2), T0, "b")
                .event(LogsPayloads.awsId(3), T0, "c").gzip();
        byte[] otherStream = LogsPayloads.data(GROUP, STREAM + "x").event(LogsPayloads.awsId(2), T0, "b").gzip();

        List<String> firstIds = ids(mapper.actions(record("shardId-000000000001", "1", first)));
        List<String> againIds = ids(mapper.actions(record("shardId-000000000007", "99", again)));

        assertThat(againIds.get(0)).isEqualTo(firstIds.get(1));
        assertThat(new HashSet<>(List.of(firstIds.get(0), firstIds.get(1), againIds.get(1)))).hasSize(3);
        assertThat(ids(mapper.actions(record("shardId-000000000001", "2", otherStream))).get(0))
                .isNotEqualTo(firstIds.get(1));
        // The names are length-prefixed: moving a character from the group to the stream changes the id.
        assertThat(CloudWatchLogsMapper.documentId("ab", "c", "1")).isNotEqualTo(CloudWatchLogsMapper.documentId("a",
                "bc", "1"));
    }

    @Test
    void motosIntegerIdsBecomeTheSameKindOfId() throws Exception {
        List<DocumentAction> actions = mapper(true, 500).actions(record("shardId-000000000000", "1",
                LogsPayloads.data(GROUP, STREAM).motoEvent(3, T0, "hello").gzip()));

        assertThat(actions.get(0).getId()).isEqualTo(sha256(GROUP, STREAM, "3"));
        assertThat(actions.get(0).getDocument()).contains("\"@id\":\"3\"");
    }

    @Test
    void aControlMessageIsSkippedAndCounted() throws Exception {
        CloudWatchLogsMapper mapper = mapper(true, 500);

        assertThat(mapper.actions(record("shardId-000000000000", "1", LogsPayloads.control()))).isEmpty();
        assertThat(mapper.controlMessagesSkipped()).isEqualTo(1);
    }

    @Test
    void extractedFieldsGoUnderOneObject() throws Exception {
        DocumentAction action = mapper(true, 500).actions(record("shardId-000000000000", "1",
                LogsPayloads.data(GROUP, STREAM).event(LogsPayloads.awsId(1), T0, "127.0.0.1 frank 200",
                        Map.of("ip", "127.0.0.1")).gzip())).get(0);

        assertThat(JSON.readTree(action.getDocument()).get("@fields").toString()).isEqualTo("{\"ip\":\"127.0.0.1\"}");
        assertCounted(List.of(action));
    }

    @Test
    void aJsonMessageIsParsedUnderItsOwnObjectWithExactNumbers() throws Exception {
        CloudWatchLogsMapper mapper = mapper(true, 500);
        String message = "{\"level\":\"info\",\"amount\":12345678901234567890.50,\"big\":123456789012345678901,"
                + "\"user\":{\"id\":7,\"tags\":[\"a\",\"b\"]},\"ok\":true,\"none\":null,\"@timestamp\":\"spoof\"}";

        DocumentAction action = mapper.actions(record("shardId-000000000000", "1",
                LogsPayloads.data(GROUP, STREAM).event(LogsPayloads.awsId(1), T0, "  " + message).gzip())).get(0);

        String document = action.getDocument();
        assertThat(document).endsWith(",\"@json\":" + message + "}");
        JsonNode tree = JSON.readTree(document);
        assertThat(tree.get("@message").asText()).isEqualTo("  " + message);
        assertThat(tree.get("@timestamp").asText()).isEqualTo("2026-12-01T09:59:58.007Z");
        assertThat(tree.has("level")).as("never merged at the top level").isFalse();
        assertThat(mapper.jsonMessagesParsed()).isEqualTo(1);
        assertCounted(List.of(action));
    }

    @Test
    void withParsingOffOrForOtherTextTheMessageStaysText() throws Exception {
        byte[] data = LogsPayloads.data(GROUP, STREAM).event("1", T0, "{\"level\":\"info\"}").event("2", T0, "[1,2]")
                .event("3", T0, "42").event("4", T0, "{\"broken\":").event("5", T0, "{\"a\":1} trailing")
                .event("6", T0, "{\"a\":1}{\"b\":2}").gzip();

        CloudWatchLogsMapper off = mapper(false, 500);
        CloudWatchLogsMapper on = mapper(true, 500);
        List<DocumentAction> unparsed = off.actions(record("shardId-000000000000", "1", data));
        List<DocumentAction> parsed = on.actions(record("shardId-000000000000", "1", data));

        assertThat(unparsed).extracting(DocumentAction::getDocument).noneMatch(d -> d.contains("@json"));
        assertThat(parsed).extracting(DocumentAction::getDocument).filteredOn(d -> d.contains("\"@json\""))
                .hasSize(1);
        assertThat(on.jsonMessagesParsed()).isEqualTo(1);
        assertThat(on.jsonMessagesOverBudget() + on.jsonMessagesConflicting()).isZero();
        assertThat(off.jsonMessagesParsed()).isZero();
    }

    @Test
    void aStreamWithThousandsOfDistinctKeysStaysIndexedWithinTheBudget() throws Exception {
        CloudWatchLogsMapper mapper = mapper(true, 500);
        LogsPayloads payload = LogsPayloads.data(GROUP, STREAM);
        for (int i = 0; i < 3_000; i++) {
            payload.event(LogsPayloads.awsId(i), T0, "{\"level\":\"info\",\"k" + i + "\":" + i + "}");
        }
        payload.event(LogsPayloads.awsId(3_000), T0, "{\"level\":\"warn\",\"k7\":8}");

        List<DocumentAction> actions = mapper.actions(record("shardId-000000000000", "1", payload.gzip()));

        assertThat(actions).hasSize(3_001);
        assertThat(jsonPaths(actions)).hasSize(500).contains("level", "k0", "k498").doesNotContain("k499");
        assertThat(mapper.jsonMessagesParsed()).as("499 new keys, then one of them again").isEqualTo(500);
        assertThat(mapper.jsonMessagesOverBudget()).isEqualTo(2_501);
        assertThat(actions.get(2_999).getDocument()).doesNotContain("@json").contains("\"@message\":\"{");
        assertThat(actions.get(3_000).getDocument()).contains("\"@json\":{\"level\":\"warn\",\"k7\":8}");
        assertCounted(actions);
    }

    @Test
    void atParallelismTwoEachInstanceTakesHalfTheBudgetSoTheUnionStaysWithinIt() throws Exception {
        CloudWatchLogsMapper first = mapper(true, 500);
        CloudWatchLogsMapper second = mapper(true, 500);
        first.start(2, new UnregisteredMetricsGroup());
        second.start(2, new UnregisteredMetricsGroup());
        LogsPayloads a = LogsPayloads.data(GROUP, STREAM);
        LogsPayloads b = LogsPayloads.data(GROUP, STREAM + "-2");
        for (int i = 0; i < 1_000; i++) {
            a.event(LogsPayloads.awsId(i), T0, "{\"a" + i + "\":1}");
            b.event(LogsPayloads.awsId(i), T0, "{\"b" + i + "\":1}");
        }

        Set<String> union = new HashSet<>(jsonPaths(first.actions(record("shardId-000000000000", "1", a.gzip()))));
        union.addAll(jsonPaths(second.actions(record("shardId-000000000001", "1", b.gzip()))));

        assertThat(union).hasSize(500);
        assertThat(first.jsonMessagesParsed()).isEqualTo(250);
        assertThat(second.jsonMessagesParsed()).isEqualTo(250);
    }

    @Test
    void theBudgetIsPerIndex() throws Exception {
        CloudWatchLogsMapper mapper = mapper(true, 2);
        long nextDay = T0 + 86_400_000L;
        byte[] data = LogsPayloads.data(GROUP, STREAM).event("1", T0, "{\"a\":1,\"b\":2}")
                .event("2", T0, "{\"c\":1}").event("3", nextDay, "{\"c\":1}").gzip();

        List<DocumentAction> actions = mapper.actions(record("shardId-000000000000", "1", data));

        assertThat(actions).extracting(a -> a.getDocument().contains("@json")).containsExactly(true, false, true);
    }

    @Test
    void conflictingKindsStayTextAndAreCounted() throws Exception {
        CloudWatchLogsMapper mapper = mapper(true, 500);
        byte[] data = LogsPayloads.data(GROUP, STREAM)
                .event("1", T0, "{\"code\":1,\"user\":{\"id\":\"u1\"}}")
                .event("2", T0, "{\"code\":\"E42\"}")
                .event("3", T0, "{\"code\":{\"nested\":1}}")
                .event("4", T0, "{\"user\":\"frank\"}")
                .event("5", T0, "{\"user.id\":\"u2\",\"code\":[2,3]}")
                .event("6", T0, "{\"mixed\":[{\"x\":1},\"y\"]}")
                .event("7", T0, "{\"dots.x\":1,\"dots\":2}")
                .event("8", T0, "{\"\":1}")
                .event("9", T0, "{\"a..b\":1}")
                .gzip();

        List<DocumentAction> actions = mapper.actions(record("shardId-000000000000", "1", data));

        assertThat(actions).extracting(a -> a.getDocument().contains("\"@json\""))
                .containsExactly(true, false, false, false, true, false, false, false, false);
        assertThat(mapper.jsonMessagesConflicting()).isEqualTo(7);
        assertThat(mapper.jsonMessagesParsed()).isEqualTo(2);
        assertCounted(actions);
    }

    @Test
    void aMessageNestedDeeperThanAMappingMayGoStaysText() throws Exception {
        CloudWatchLogsMapper mapper = mapper(true, 500);
        String deep = "{\"a\":".repeat(FieldBudget.MAX_DEPTH + 1) + "1" + "}".repeat(FieldBudget.MAX_DEPTH + 1);
        String fits = "{\"a\":".repeat(FieldBudget.MAX_DEPTH) + "1" + "}".repeat(FieldBudget.MAX_DEPTH);

        List<DocumentAction> actions = mapper.actions(record("shardId-000000000000", "1",
                LogsPayloads.data(GROUP, STREAM).event("1", T0, deep).event("2", T0, fits).gzip()));

        assertThat(actions).extracting(a -> a.getDocument().contains("\"@json\"")).containsExactly(false, true);
        assertThat(mapper.jsonMessagesOverBudget()).isEqualTo(1);
    }

    @Test
    void aOneMegabyteEventAndHalfASurrogatePairMakeValidDocuments() throws Exception {
        char[] big = new char[1024 * 1024];
        Arrays.fill(big, 'x');
        LogsPayloads payload = LogsPayloads.data(GROUP, STREAM).event("1", T0, new String(big));
        byte[] data = LogsPayloads.gzip(new String(LogsPayloads.gzipless(payload), StandardCharsets.UTF_8)
                .replace("]}", ",{\"id\":\"2\",\"timestamp\":" + T0 + ",\"message\":\"half \\ud800 pair\"},"
                        + "{\"id\":\"3\",\"timestamp\":" + T0 + ",\"message\":\"{\\\"k\\\":\\\"\\udc00\\\"}\"}]}")
                .getBytes(StandardCharsets.UTF_8));

        List<DocumentAction> actions = mapper(true, 500).actions(record("shardId-000000000000", "1", data));

        assertThat(actions).hasSize(3);
        assertThat(JSON.readTree(actions.get(0).getDocumentUtf8()).get("@message").asText()).hasSize(1024 * 1024);
        assertThat(JSON.readTree(actions.get(1).getDocumentUtf8()).get("@message").asText())
                .isEqualTo("half \uFFFD pair");
        assertThat(JSON.readTree(actions.get(2).getDocumentUtf8()).get("@json").get("k").asText()).isEqualTo("\uFFFD");
        assertCounted(actions);
    }

    @Test
    void aPoisonRecordIsUndecodable() {
        CloudWatchLogsMapper mapper = mapper(true, 500);

        assertThatThrownBy(() -> mapper.actions(record("shardId-000000000000", "1",
                "password=hunter2".getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(UndecodableRecordException.class)
                .message().doesNotContain("hunter2");
    }

    @Test
    void aRecordKeptInADeadLetterMapsTheSameAfterRestore() throws Exception {
        CloudWatchLogsMapper mapper = mapper(true, 500);
        KinesisRecord record = record("shardId-000000000003", SEQUENCE, LogsPayloads.data(GROUP, STREAM)
                .event(LogsPayloads.awsId(1), T0, "{\"a\":1}").gzip());
        List<DocumentAction> before = mapper.actions(record);

        RawRecord raw = mapper.raw(record);
        KinesisRecord restored = mapper.restore(raw, mapper.origin(record).redriven(2));
        List<DocumentAction> after = mapper.actions(restored);

        assertThat(raw.getFormat()).isEqualTo(RawRecord.RawFormat.BASE64);
        assertThat(restored.getData()).isEqualTo(record.getData());
        assertThat(after).extracting(DocumentAction::getId).isEqualTo(ids(before));
        assertThat(after).extracting(DocumentAction::getDocument).containsExactlyElementsOf(
                before.stream().map(DocumentAction::getDocument).collect(Collectors.toList()));
        assertThat(after.get(0).getOrigin().getRedriveAttempt()).isEqualTo(2);
        assertThatThrownBy(() -> mapper.restore(RawRecord.json("{}"), mapper.origin(record)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anIndexNamedByLogGroupGivesEachGroupItsOwnIndicesAndBudget() throws Exception {
        CloudWatchLogsMapper mapper = new CloudWatchLogsMapper("app-logs",
                IndexName.parse("cwl-{log_group}-{yyyy.MM.dd}").orElseThrow(), LIMIT, true, 1);
        mapper.open();

        DocumentAction orders = mapper.actions(record("shardId-000000000000", "1", LogsPayloads.data(GROUP, STREAM)
                .event(LogsPayloads.awsId(1), T0, "{\"a\":1}").gzip())).get(0);
        DocumentAction payments = mapper.actions(record("shardId-000000000000", "2",
                LogsPayloads.data("/ecs/Payments", STREAM).event(LogsPayloads.awsId(1), T0, "{\"b\":1}").gzip()))
                .get(0);

        assertThat(orders.getIndex()).isEqualTo("cwl-aws-lambda-orders-2026.12.01");
        assertThat(payments.getIndex()).isEqualTo("cwl-ecs-payments-2026.12.01");
        // A budget of one path per index: each group's index takes its own.
        assertThat(mapper.jsonMessagesParsed()).isEqualTo(2);
    }

    @Test
    void aRefusedDocumentLosesItsJsonThenItsExtractedFieldsButNeverItsEvent() throws Exception {
        CloudWatchLogsMapper mapper = mapper(true, 500);
        DocumentAction refused = mapper.actions(record("shardId-000000000000", "1",
                LogsPayloads.data(GROUP, STREAM).event(LogsPayloads.awsId(1), T0, "{\"a\":1.50}",
                        Map.of("a", "1.50")).gzip())).get(0);

        DocumentAction once = mapper.reduction().reduce(refused).orElseThrow();
        DocumentAction twice = mapper.reduction().reduce(once).orElseThrow();

        JsonNode original = JSON.readTree(refused.getDocument());
        JsonNode withoutJson = JSON.readTree(once.getDocument());
        assertThat(original.has("@json")).isTrue();
        assertThat(withoutJson.has("@json")).isFalse();
        assertThat(withoutJson.path("@fields").path("a").asText()).isEqualTo("1.50");
        JsonNode bare = JSON.readTree(twice.getDocument());
        assertThat(bare.has("@fields")).isFalse();
        for (String kept : List.of("@timestamp", "@message", "@owner", "@log_group", "@log_stream", "@id")) {
            assertThat(bare.path(kept)).as(kept).isEqualTo(original.path(kept));
        }
        assertThat(List.of(once, twice)).allSatisfy(reduced -> {
            assertThat(reduced.getIndex()).isEqualTo(refused.getIndex());
            assertThat(reduced.getId()).isEqualTo(refused.getId());
            assertThat(reduced.getOp()).isEqualTo(Op.CREATE);
            assertThat(reduced.getOrigin()).isEqualTo(refused.getOrigin());
        });
        assertThat(mapper.reduction().reduce(twice)).isEmpty();
    }

    private static CloudWatchLogsMapper mapper(boolean parseJson, int budget) {
        CloudWatchLogsMapper mapper = new CloudWatchLogsMapper("app-logs",
                IndexName.parse("cwl-{yyyy.MM.dd}").orElseThrow(), LIMIT, parseJson, budget);
        mapper.open();
        return mapper;
    }

    private static KinesisRecord record(String shard, String sequence, byte[] data) {
        KinesisRecord record = new KinesisRecord();
        record.setStream("app-logs");
        record.setShardId(shard);
        record.setParentShardId("shardId-000000000000");
        record.setSequenceNumber(sequence);
        record.setPartitionKey("f00");
        record.setApproximateArrivalMillis(ARRIVAL);
        record.setData(data);
        return record;
    }

    private static List<String> ids(List<DocumentAction> actions) {
        return actions.stream().map(DocumentAction::getId).collect(Collectors.toList());
    }

    /** Every field path under {@code @json} across {@code actions}' documents, as a mapping would hold them. */
    private static Set<String> jsonPaths(List<DocumentAction> actions) throws Exception {
        Set<String> paths = new HashSet<>();
        for (DocumentAction action : actions) {
            collect(JSON.readTree(action.getDocumentUtf8()).path("@json"), "", paths);
        }
        return paths;
    }

    private static void collect(JsonNode node, String prefix, Set<String> paths) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            paths.add(path);
            collect(field.getValue(), path, paths);
        }
    }

    /** The mapper counted each document's field paths as validation would, so validation need not parse it. */
    private static void assertCounted(List<DocumentAction> actions) {
        for (DocumentAction action : actions) {
            assertThat(action.getFieldPaths()).as(action.getDocument())
                    .isEqualTo(DocumentLimits.countFieldPaths(action.getDocumentUtf8()));
        }
    }

    private static String sha256(String group, String stream, String id) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String part : List.of(group, stream, id)) {
            byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
            sha.update(new byte[] {0, 0, (byte) (utf8.length >> 8), (byte) utf8.length});
            sha.update(utf8);
        }
        StringBuilder hex = new StringBuilder();
        for (byte b : sha.digest()) {
            hex.append(String.format("%02x", b));
        }
        return hex.toString();
    }
}
