package dev.searchsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The kinesis input's configuration: what it accepts, and each mistake named with what was expected. */
class KinesisConfigTest {
    private static final String ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/orders-events";

    @Test
    void aStreamByArnGivesTheRegionTheNameAndTheDefaultIndex() {
        JobConfig config = JobConfig.from(groups(Map.of("type", "kinesis", "stream.arn", ARN), Map.of(), Map.of()));

        assertThat(config.source().kinesisStream()).isEqualTo(ARN);
        assertThat(config.source().inputName()).isEqualTo("orders-events");
        assertThat(config.source().aws().region()).isEqualTo("eu-west-1");
        assertThat(config.source().recordFormat()).isEqualTo(RecordFormat.AUTO);
        assertThat(config.source().maxDecodedBytes()).isEqualTo(32 * 1024 * 1024);
        assertThat(config.indexName()).isEqualTo("orders-events");
        assertThat(config.events().idField()).isEmpty();
        assertThat(config.events().deleteValues()).containsExactly("delete");
    }

    @Test
    void aStreamByNameWithEveryEventField() {
        JobConfig config = JobConfig.from(groups(
                Map.of("type", "kinesis", "stream.name", "Orders", "aws.region", "us-east-2", "record.format",
                        "NDJSON", "start.position", "AT_TIMESTAMP", "start.timestamp", "2026-12-01T00:00:00Z"),
                Map.of("id.field", "/order/id", "delete.field", "/op", "delete.values", "delete, remove",
                        "version.field", "/updatedAt", "timestamp.field", "/at"),
                Map.of("name", "orders")));

        assertThat(config.source().kinesisStream()).isEqualTo("Orders");
        assertThat(config.tableName()).isEqualTo("Orders");
        assertThat(config.source().recordFormat()).isEqualTo(RecordFormat.NDJSON);
        assertThat(config.source().settings().startPosition()).isEqualTo(StartPosition.AT_TIMESTAMP);
        assertThat(config.source().settings().startTimestampMillis())
                .isEqualTo(Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());
        assertThat(config.events().idField()).contains("/order/id");
        assertThat(config.events().deleteValues()).containsExactly("delete", "remove");
        assertThat(config.events().versionField()).contains("/updatedAt");
        assertThat(config.events().timestampField()).contains("/at");
    }

    @Test
    void anEventTimeIndexGetsATemplateForEveryPeriod() {
        JobConfig config = JobConfig.from(groups(Map.of("type", "kinesis", "stream.arn", ARN), Map.of(),
                Map.of("name", "events-{yyyy.MM.dd}")));

        IndexName name = config.writeTargetName();
        assertThat(name.isTimeBased()).isTrue();
        assertThat(name.at(Instant.parse("2026-12-01T23:59:59.999Z").toEpochMilli())).isEqualTo("events-2026.12.01");
        assertThat(name.at(Instant.parse("2026-12-02T00:00:00Z").toEpochMilli())).isEqualTo("events-2026.12.02");
        assertThat(config.index().templatePatterns()).containsExactly("events-*");
        assertThat(config.index().templateName(config.indexName())).isEqualTo("searchsync-events");
    }

    @Test
    void aDynamoDbArnWithTheKinesisTypeIsNamed() {
        assertProblems(Map.of("type", "kinesis", "stream.arn",
                        "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2026-11-22T05:00:00.000"),
                Map.of(), Map.of(),
                "property group 'source', key 'stream.arn': got"
                        + " 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2026-11-22T05:00:00.000',"
                        + " expected a Kinesis stream ARN, arn:aws:kinesis:<region>:<account>:stream/<name>, with"
                        + " source/type=kinesis");
    }

    @Test
    void aKinesisArnWithoutTheKinesisTypeSaysToSetIt() {
        assertProblems(Map.of("stream.arn", ARN), Map.of(), Map.of(),
                "property group 'source', key 'stream.arn': got '" + ARN + "', expected a DynamoDB stream ARN,"
                        + " arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>, with"
                        + " source/type=dynamodb-streams (set source/type=kinesis for a Kinesis stream)");
    }

    @Test
    void keysOfTheOtherInputAreRefused() {
        assertProblems(Map.of("type", "kinesis", "stream.name", "s", "table.name", "Orders"), Map.of(), Map.of(),
                "property group 'source', key 'table.name': got 'Orders', expected nothing: it applies only to"
                        + " source/type=dynamodb-streams, and source/type is kinesis");
        assertProblems(Map.of("table.name", "Orders", "record.format", "JSON"), Map.of("id.field", "/id"), Map.of(),
                "property group 'source', key 'record.format': got 'JSON', expected nothing: it applies only to"
                        + " source/type=kinesis, and source/type is dynamodb-streams",
                "property group 'events', key 'id.field': got '/id', expected nothing: the group applies only to"
                        + " source/type=kinesis, and source/type is dynamodb-streams");
    }

    @Test
    void bothANameAndAnArnAreOneTooMany() {
        assertProblems(Map.of("type", "kinesis", "stream.name", "s", "stream.arn", ARN), Map.of(), Map.of(),
                "property group 'source': both 'stream.arn' and 'stream.name' are set, expected exactly one");
    }

    @Test
    void noStreamNamesTheKinesisKeys() {
        assertProblems(Map.of("type", "kinesis"), Map.of(), Map.of(),
                "property group 'source': no stream given, expected key 'stream.arn' (a Kinesis stream ARN) or key"
                        + " 'stream.name'");
    }

    @Test
    void atTimestampNeedsATimestampAndOnlyItTakesOne() {
        assertProblems(Map.of("type", "kinesis", "stream.name", "s", "start.position", "AT_TIMESTAMP"), Map.of(),
                Map.of(), "property group 'source', key 'start.timestamp': got nothing, expected an ISO-8601 instant"
                        + " with start.position=AT_TIMESTAMP");
        assertProblems(Map.of("type", "kinesis", "stream.name", "s", "start.timestamp", "2026-12-01T00:00:00Z"),
                Map.of(), Map.of(), "property group 'source', key 'start.timestamp': got '2026-12-01T00:00:00Z',"
                        + " expected nothing unless start.position=AT_TIMESTAMP (it is TRIM_HORIZON)");
        assertProblems(Map.of("type", "kinesis", "stream.name", "s", "start.position", "AT_TIMESTAMP",
                        "start.timestamp", "yesterday"), Map.of(), Map.of(),
                "property group 'source', key 'start.timestamp': got 'yesterday', expected an ISO-8601 instant such"
                        + " as 2026-12-01T00:00:00Z");
    }

    @Test
    void deletesAndVersionsNeedIds() {
        assertProblems(Map.of("type", "kinesis", "stream.name", "s"), Map.of("delete.field", "/op"), Map.of(),
                "property group 'events', key 'delete.field': got '/op', expected id.field too: without ids events"
                        + " are appended, never deleted or versioned");
    }

    @Test
    void aFieldMustBeAJsonPointer() {
        assertProblems(Map.of("type", "kinesis", "stream.name", "s"), Map.of("id.field", "orderId"), Map.of(),
                "property group 'events', key 'id.field': got 'orderId', expected a JSON pointer to a field, such as"
                        + " /orderId or /meta/id");
    }

    @Test
    void anEventTimeIndexIsOnlyForAppendedEvents() {
        assertProblems(Map.of("type", "kinesis", "stream.name", "s"), Map.of("id.field", "/id"),
                Map.of("name", "events-{yyyy.MM.dd}"),
                "property group 'index', key 'name': got 'events-{yyyy.MM.dd}', expected a fixed index name with"
                        + " events/id.field: a document's later events would land in another index than the document"
                        + " (an event-time pattern is for appended events, without events/id.field)");
        assertProblems(Map.of("type", "kinesis", "stream.name", "s"), Map.of(),
                Map.of("name", "events-{yyyy.MM.dd}", "alias", "events"),
                "property group 'index', key 'alias': got 'events', expected no alias with an index name pattern:"
                        + " each event picks its index by its time (or log group), while an alias writes to one index");
    }

    @Test
    void anIndexPatternThatGivesNoValidNameIsRefused() {
        for (String bad : List.of("events-{MMM}", "events-{yyyy", "events-{}", "events-{yyyy}-{MM}", "Events-{yyyy}",
                "events-{yyyy/MM}", "events-{EEEE}")) {
            assertThat(IndexName.isValid(bad)).as(bad).isFalse();
        }
        assertThat(IndexName.isValid("events-{yyyy.MM.dd}-v1")).isTrue();
        assertThat(IndexName.parse("logs-{yyyy.ww}").orElseThrow().wildcard()).isEqualTo("logs-*");
    }

    private static PropertyGroups groups(Map<String, String> source, Map<String, String> events,
            Map<String, String> index) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        all.put("source", source);
        if (!events.isEmpty()) {
            all.put("events", events);
        }
        if (!index.isEmpty()) {
            all.put("index", index);
        }
        all.put("opensearch", Map.of("endpoint", "http://127.0.0.1:9200"));
        return PropertyGroups.of(all);
    }

    private static void assertProblems(Map<String, String> source, Map<String, String> events,
            Map<String, String> index, String... expected) {
        assertThatThrownBy(() -> JobConfig.from(groups(source, events, index)))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.problems()).containsExactly(expected));
    }
}
