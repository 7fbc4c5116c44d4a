package dev.searchsync.config;

import dev.searchsync.config.StartPosition;
import dev.searchsync.config.StreamChangePolicy;
import dev.searchsync.config.TrimmedDataPolicy;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad configuration stops the job before it is built, naming group, key, value and what was expected. */
class JobConfigTest {
    private static final String ARN =
            "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2026-11-22T05:00:00.000";

    @Test
    void missingStreamIsNamed() {
        assertProblem(Map.of("start.position", "LATEST"),
                "property group 'source': no stream given, expected key 'stream.arn' (a DynamoDB stream ARN)"
                        + " or key 'table.name' (a table with a stream)");
    }

    @Test
    void missingSourceGroupIsTheSameMistake() {
        assertThatThrownBy(() -> JobConfig.from(withOpenSearch(Map.of())))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid searchsync configuration (1 problem):\n"
                        + "  - property group 'source': no stream given, expected key 'stream.arn' (a DynamoDB"
                        + " stream ARN) or key 'table.name' (a table with a stream)");
    }

    @Test
    void malformedArnIsNamedWithTheExpectedForm() {
        assertProblem(Map.of("stream.arn", "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders"),
                "property group 'source', key 'stream.arn': got 'arn:aws:dynamodb:eu-west-1:123456789012:table/Orders',"
                        + " expected a DynamoDB stream ARN,"
                        + " arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>, or a Kinesis stream ARN,"
                        + " arn:aws:kinesis:<region>:<account>:stream/<name>");
    }

    @Test
    void unknownStartPositionListsTheChoices() {
        assertProblem(Map.of("stream.arn", ARN, "start.position", "EARLIEST"),
                "property group 'source', key 'start.position': got 'EARLIEST', expected one of TRIM_HORIZON, LATEST,"
                        + " AT_TIMESTAMP");
    }

    @Test
    void anInputKindThisBuildDoesNotReadIsNamedWithTheKindsItDoes() {
        assertProblem(Map.of("stream.arn", ARN, "type", "kafka"),
                "property group 'source', key 'type': got 'kafka', expected one of dynamodb-streams, kinesis,"
                        + " cloudwatch-logs");
    }

    @Test
    void theInputKindDefaultsToDynamoDbStreams() {
        assertThat(JobConfig.from(withOpenSearch(Map.of("source", Map.of("stream.arn", ARN)))).source().type())
                .isEqualTo("dynamodb-streams");
    }

    @Test
    void unknownStreamChangePolicyListsTheChoices() {
        assertProblem(Map.of("stream.arn", ARN, "stream.change.policy", "IGNORE"),
                "property group 'source', key 'stream.change.policy': got 'IGNORE', expected one of FAIL,"
                        + " RESTART_FROM_TRIM_HORIZON");
    }

    @Test
    void negativeIntervalIsRefused() {
        assertProblem(Map.of("stream.arn", ARN, "shard.discovery.interval.ms", "-5"),
                "property group 'source', key 'shard.discovery.interval.ms': got '-5',"
                        + " expected a positive whole number of milliseconds");
    }

    @Test
    void unknownKeySuggestsTheNearestKnownKey() {
        assertProblem(Map.of("stream.arn", ARN, "strat.position", "LATEST"),
                "property group 'source', key 'strat.position': unknown key, did you mean 'start.position'?"
                        + " expected one of aws.access.key.id, aws.credentials.provider, aws.endpoint, aws.region,"
                        + " aws.secret.access.key, poll.idle.max.interval.ms, poll.interval.ms, poll.max.records,"
                        + " record.format, record.max.decoded.bytes, shard.discovery.interval.ms, start.position,"
                        + " start.timestamp, stream.arn, stream.change.policy, stream.name, table.name,"
                        + " throttle.backoff.base.ms, throttle.backoff.max.ms, trimmed.data.policy, type");
    }

    @Test
    void unknownGroupIsNamed() {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        groups.put("source", Map.of("stream.arn", ARN));
        groups.put("sauce", Map.of("x", "y"));
        assertThatThrownBy(() -> JobConfig.from(withOpenSearch(groups)))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly("property group 'sauce': unknown group, expected one of deadletter, events,"
                                + " index, load, logs, opensearch, source, sync"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("start.position", "EARLIEST");
        source.put("poll.max.records", "5000");
        source.put("aws.endpoint", "localhost:8000");
        assertThatThrownBy(() -> JobConfig.from(withOpenSearch(Map.of("source", source))))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactlyInAnyOrder(
                                "property group 'source': no stream given, expected key 'stream.arn' (a DynamoDB"
                                        + " stream ARN) or key 'table.name' (a table with a stream)",
                                "property group 'source', key 'start.position': got 'EARLIEST', expected one of"
                                        + " TRIM_HORIZON, LATEST, AT_TIMESTAMP",
                                "property group 'source', key 'poll.max.records': got '5000', expected at most"
                                        + " 1000, the most DynamoDB Streams returns per GetRecords call",
                                "property group 'source', key 'aws.endpoint': got 'localhost:8000', expected an"
                                        + " http:// or https:// URL"))
                .hasMessageStartingWith("Invalid searchsync configuration (4 problems):");
    }

    @Test
    void bothStreamAndTableIsAmbiguous() {
        assertProblem(Map.of("stream.arn", ARN, "table.name", "Orders"),
                "property group 'source': both 'stream.arn' and 'table.name' are set, expected exactly one");
    }

    @Test
    void staticCredentialsNeedBothKeysAndNeverEchoTheSecret() {
        assertProblem(Map.of("table.name", "Orders", "aws.credentials.provider", "STATIC",
                        "aws.secret.access.key", "s3cr3t-value"),
                "property group 'source', key 'aws.access.key.id': got nothing, expected an access key id with"
                        + " aws.credentials.provider=STATIC");
        assertThatThrownBy(() -> JobConfig.from(withOpenSearch(Map.of("source", Map.of("table.name", "Orders",
                        "aws.secret.access.key", "s3cr3t-value")))))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("a key pair is set but aws.credentials.provider is DEFAULT")
                .hasMessageNotContaining("s3cr3t-value");
    }

    @Test
    void idleIntervalBelowPollIntervalIsRefused() {
        assertProblem(Map.of("stream.arn", ARN, "poll.interval.ms", "500", "poll.idle.max.interval.ms", "100"),
                "property group 'source', key 'poll.idle.max.interval.ms': got '100', expected at least"
                        + " poll.interval.ms (500)");
    }

    @Test
    void validConfigurationUsesDefaultsAndTheRegionOfTheArn() {
        JobConfig config = JobConfig.from(withOpenSearch(Map.of("source", Map.of("stream.arn", ARN))));
        assertThat(config.source().stream().streamArn()).isEqualTo(ARN);
        assertThat(config.source().aws().region()).isEqualTo("eu-west-1");
        assertThat(config.source().settings().startPosition()).isEqualTo(StartPosition.TRIM_HORIZON);
        assertThat(config.source().settings().trimmedDataPolicy()).isEqualTo(TrimmedDataPolicy.FAIL);
        assertThat(config.source().settings().streamChangePolicy()).isEqualTo(StreamChangePolicy.FAIL);
        assertThat(config.source().settings().shardDiscoveryIntervalMillis()).isEqualTo(10_000);
        assertThat(config.source().settings().maxRecordsPerPoll()).isEqualTo(1_000);
        assertThat(config.indexName()).isEqualTo("orders");
        assertThat(config.writeTarget()).isEqualTo("orders");
        assertThat(config.stateTtl()).hasHours(26);
    }

    @Test
    void withAnAliasDocumentsAreWrittenThroughIt() {
        JobConfig config = JobConfig.from(withOpenSearch(Map.of("source", Map.of("stream.arn", ARN),
                "index", Map.of("alias", "orders-live"))));
        assertThat(config.indexName()).isEqualTo("orders");
        assertThat(config.writeTarget()).isEqualTo("orders-live");
    }

    @Test
    void missingOpenSearchEndpointIsNamed() {
        assertThatThrownBy(() -> JobConfig.from(PropertyGroups.of(Map.of("source", Map.of("stream.arn", ARN)))))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("property group 'opensearch', key 'endpoint': missing,"));
    }

    @Test
    void stateTtlMustOutlastTheStream() {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        groups.put("source", Map.of("stream.arn", ARN));
        groups.put("sync", Map.of("state.ttl.hours", "12"));
        assertThatThrownBy(() -> JobConfig.from(withOpenSearch(groups)))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly("property group 'sync', key 'state.ttl.hours': got '12', expected a whole"
                                + " number from 25 to 8760"));
    }

    @Test
    void valuesAreParsedLeniently() {
        JobConfig config = JobConfig.from(withOpenSearch(Map.of("source", Map.of(
                "table.name", "Orders", "start.position", " latest ", "trimmed.data.policy",
                "restart_from_trim_horizon", "stream.change.policy", "Restart_From_Trim_Horizon",
                "aws.endpoint", "http://127.0.0.1:8000", "aws.region", "ddblocal"))));
        assertThat(config.source().stream().tableName()).isEqualTo("Orders");
        assertThat(config.source().settings().startPosition()).isEqualTo(StartPosition.LATEST);
        assertThat(config.source().settings().trimmedDataPolicy())
                .isEqualTo(TrimmedDataPolicy.RESTART_FROM_TRIM_HORIZON);
        assertThat(config.source().settings().streamChangePolicy())
                .isEqualTo(StreamChangePolicy.RESTART_FROM_TRIM_HORIZON);
        assertThat(config.source().aws().endpoint()).hasToString("http://127.0.0.1:8000");
    }

    @Test
    void onManagedFlinkAMissingDeadLetterPathIsAnError() {
        // What KinesisAnalyticsRuntime.getApplicationProperties() hands the job on MSF.
        Map<String, Properties> runtime = Map.of(
                "source", properties("stream.arn", ARN),
                "opensearch", properties("endpoint", "https://search.example.com"));
        assertThatThrownBy(() -> JobConfig.from(PropertyGroups.fromProperties(runtime)))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .singleElement().asString()
                        .startsWith("property group 'deadletter', key 'path': got nothing, expected an s3://"));
    }

    @Test
    void onManagedFlinkALocalDeadLetterFolderIsAnError() {
        Map<String, Properties> runtime = Map.of(
                "source", properties("stream.arn", ARN),
                "opensearch", properties("endpoint", "https://search.example.com"),
                "deadletter", properties("path", "file:///tmp/searchsync/dead-letters"));
        assertThatThrownBy(() -> JobConfig.from(PropertyGroups.fromProperties(runtime)))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith("property group 'deadletter', key 'path': got"
                                + " 'file:///tmp/searchsync/dead-letters', expected an s3://"));
    }

    @Test
    void redrivePathInsideTheDefaultDeadLetterPathIsRefused() {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        groups.put("source", Map.of("stream.arn", ARN));
        groups.put("deadletter", Map.of("redrive.path", "file:///tmp/searchsync/dead-letters/redrive"));
        assertThatThrownBy(() -> JobConfig.from(withOpenSearch(groups)))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly("property group 'deadletter', key 'redrive.path': got"
                                + " 'file:///tmp/searchsync/dead-letters/redrive', expected a prefix apart from path"
                                + " ('file:///tmp/searchsync/dead-letters'): dead letters written under it would be"
                                + " redriven again at once"));
    }

    @Test
    void onManagedFlinkAnS3DeadLetterPathAndRedrivePathAreAccepted() {
        Map<String, Properties> runtime = Map.of(
                "source", properties("stream.arn", ARN),
                "opensearch", properties("endpoint", "https://search.example.com"),
                "deadletter", properties("path", "s3://bucket/dead-letters"));
        runtime.get("deadletter").setProperty("redrive.path", "s3a://bucket/redrive");
        JobConfig config = JobConfig.from(PropertyGroups.fromProperties(runtime));
        assertThat(config.deadLetters().path()).isEqualTo("s3://bucket/dead-letters");
        assertThat(config.deadLetters().redrivePath()).contains("s3a://bucket/redrive");
    }

    @Test
    void onManagedFlinkALocalRedriveFolderIsAnError() {
        Map<String, Properties> runtime = Map.of(
                "source", properties("stream.arn", ARN),
                "opensearch", properties("endpoint", "https://search.example.com"),
                "deadletter", properties("path", "s3://bucket/dead-letters"));
        runtime.get("deadletter").setProperty("redrive.path", "file:///tmp/redrive");
        assertThatThrownBy(() -> JobConfig.from(PropertyGroups.fromProperties(runtime)))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly("property group 'deadletter', key 'redrive.path': got 'file:///tmp/redrive',"
                                + " expected an s3://bucket/prefix or s3a://bucket/prefix URI on Managed Service for"
                                + " Apache Flink, where a local folder is a TaskManager's disk and goes with it (the"
                                + " file:// default suits a local run only)"));
    }

    @Test
    void locallyTheDeadLetterFolderDefaults() {
        JobConfig config = JobConfig.from(withOpenSearch(Map.of("source", Map.of("stream.arn", ARN))));
        assertThat(config.deadLetters().path()).isEqualTo("file:///tmp/searchsync/dead-letters");
    }

    @Test
    void aBulkWithItsLargestDocumentMustFitTheRequestPayloadLimit() {
        // Sent once it holds 8 MiB, a bulk can carry one more document of up to 4 MiB: past the default 10 MiB.
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        groups.put("source", Map.of("stream.arn", ARN));
        groups.put("opensearch", Map.of("endpoint", "https://search.example.com", "bulk.max.size.mb", "8"));
        assertThatThrownBy(() -> JobConfig.from(PropertyGroups.of(groups)))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .singleElement().asString()
                        .startsWith("property group 'opensearch': ")
                        .contains("bulk.max.size.mb (8 MiB)", "index/max.document.bytes (4194304 bytes)"));
    }

    @Test
    void theRequestSizeCheckNamesEveryTermAndTheWayOut() {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        groups.put("source", Map.of("stream.arn", ARN));
        groups.put("index", Map.of("max.document.bytes", "6291456"));
        assertThatThrownBy(() -> JobConfig.from(withOpenSearch(groups)))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly("property group 'opensearch': bulk.max.size.mb (4 MiB) +"
                                + " index/max.document.bytes (6291456 bytes) + 1 KiB for each of bulk.max.actions"
                                + " (2000) is 12533760 bytes, more than request.max.size.mb (10 MiB, 10485760 bytes),"
                                + " expected the sum within request.max.size.mb: a bulk is sent only once it holds"
                                + " bulk.max.size.mb, so the document that tips it over adds up to"
                                + " max.document.bytes, and each action's metadata line (up to about 1 KiB) comes on"
                                + " top. Lower one of them, or set request.max.size.mb to the cluster's limit (10 MiB"
                                + " on the smallest Amazon OpenSearch Service instance types, 100 MiB on most"
                                + " others)"));
    }

    @Test
    void aLargerRequestLimitAdmitsLargerBulks() {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        groups.put("source", Map.of("stream.arn", ARN));
        groups.put("index", Map.of("max.document.bytes", "10485760"));
        groups.put("opensearch", Map.of("endpoint", "https://search.example.com", "bulk.max.size.mb", "50",
                "bulk.max.actions", "10000", "request.max.size.mb", "100"));
        JobConfig config = JobConfig.from(PropertyGroups.of(groups));
        assertThat(config.opensearch().bulkMaxSizeMb()).isEqualTo(50);
        assertThat(config.opensearch().requestMaxSizeMb()).isEqualTo(100);
    }

    @Test
    void aBadBulkSizeIsReportedAloneWithoutACrossCheckOnItsDefault() {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        groups.put("source", Map.of("stream.arn", ARN));
        groups.put("index", Map.of("max.document.bytes", "9437184"));
        groups.put("opensearch", Map.of("endpoint", "https://search.example.com", "bulk.max.size.mb", "lots"));
        assertThatThrownBy(() -> JobConfig.from(PropertyGroups.of(groups)))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly("property group 'opensearch', key 'bulk.max.size.mb': got 'lots', expected"
                                + " a whole number from 1 to 100"));
    }

    private static Properties properties(String key, String value) {
        Properties properties = new Properties();
        properties.setProperty(key, value);
        return properties;
    }

    /** The groups given plus a valid opensearch group, so only the mistake under test is reported. */
    private static PropertyGroups withOpenSearch(Map<String, Map<String, String>> groups) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>(groups);
        all.putIfAbsent("opensearch", Map.of("endpoint", "http://127.0.0.1:9200"));
        return PropertyGroups.of(all);
    }

    private static void assertProblem(Map<String, String> source, String expected) {
        assertThatThrownBy(() -> JobConfig.from(withOpenSearch(Map.of("source", source))))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.problems()).containsExactly(expected))
                .hasMessage("Invalid searchsync configuration (1 problem):\n  - " + expected);
    }
}
