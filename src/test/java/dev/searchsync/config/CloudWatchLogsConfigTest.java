package dev.searchsync.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The cloudwatch-logs input's configuration: its defaults, and the keys of other inputs refused. */
class CloudWatchLogsConfigTest {
    private static final String ARN = "arn:aws:kinesis:eu-west-1:123456789012:stream/app-logs";

    @Test
    void aStreamAloneGivesADailyIndexShapedByTheTemplateInTheJar() {
        JobConfig config = JobConfig.from(groups(Map.of("type", "cloudwatch-logs", "stream.arn", ARN), Map.of(),
                Map.of()));

        assertThat(config.source().kinesisStream()).isEqualTo(ARN);
        assertThat(config.tableName()).isEqualTo("app-logs");
        assertThat(config.writeTargetName().toString()).isEqualTo("cwl-{yyyy.MM.dd}");
        assertThat(config.index().templatePatterns()).containsExactly("cwl-*");
        assertThat(config.index().templateName(config.indexName())).isEqualTo("searchsync-cwl");
        assertThat(config.index().mapping()).contains("cloudwatch-logs.json");
        assertThat(config.logs().parseJson()).isTrue();
        assertThat(config.logs().jsonMaxFields()).isEqualTo(500);
    }

    @Test
    void theIndexMappingAndLogsKeysCanBeSet() {
        JobConfig config = JobConfig.from(groups(Map.of("type", "cloudwatch-logs", "stream.name", "app-logs",
                        "aws.region", "eu-west-1"),
                Map.of("parse.json", "false", "json.max.fields", "200"),
                Map.of("name", "app-{yyyy.MM}", "mapping", "my-logs.json")));

        assertThat(config.writeTargetName().at(0)).isEqualTo("app-1970.01");
        assertThat(config.index().mapping()).contains("my-logs.json");
        assertThat(config.logs().parseJson()).isFalse();
        assertThat(config.logs().jsonMaxFields()).isEqualTo(200);
    }

    @Test
    void anIndexPerLogGroupAndDayGetsOneTemplateOverAll() {
        JobConfig config = JobConfig.from(groups(Map.of("type", "cloudwatch-logs", "stream.arn", ARN), Map.of(),
                Map.of("name", "cwl-{log_group}-{yyyy.MM.dd}")));

        IndexName name = config.writeTargetName();
        assertThat(name.usesLogGroup()).isTrue();
        assertThat(name.at(Instant.parse("2026-12-01T10:00:00Z").toEpochMilli(), "/aws/lambda/Orders-API"))
                .isEqualTo("cwl-aws-lambda-orders-api-2026.12.01");
        assertThat(config.index().templatePatterns()).containsExactly("cwl-*-*");
        assertThat(config.index().templateName(config.indexName())).isEqualTo("searchsync-cwl");
    }

    @Test
    void onlyLogEventsHaveALogGroupToNameAnIndexBy() {
        assertThatThrownBy(() -> JobConfig.from(groups(Map.of("type", "kinesis", "stream.arn", ARN), Map.of(),
                Map.of("name", "events-{log_group}"))))
                .isInstanceOfSatisfying(InvalidConfigurationException.class, e -> assertThat(e.problems())
                        .containsExactly("property group 'index', key 'name': got 'events-{log_group}', expected no"
                                + " {log_group}: only source/type=cloudwatch-logs events have a log group"));
    }

    @Test
    void keysOfOtherInputsAreRefusedNamingTheType() {
        assertProblems(Map.of("type", "cloudwatch-logs", "stream.arn", ARN, "record.format", "NDJSON"), Map.of(),
                "property group 'source', key 'record.format': got 'NDJSON', expected nothing: it applies only to"
                        + " source/type=kinesis, and source/type is cloudwatch-logs");
        assertProblems(Map.of("type", "kinesis", "stream.arn", ARN), Map.of("parse.json", "true"),
                "property group 'logs', key 'parse.json': got 'true', expected nothing: the group applies only to"
                        + " source/type=cloudwatch-logs, and source/type is kinesis");
    }

    private static PropertyGroups groups(Map<String, String> source, Map<String, String> logs,
            Map<String, String> index) {
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        all.put("source", source);
        if (!logs.isEmpty()) {
            all.put("logs", logs);
        }
        if (!index.isEmpty()) {
            all.put("index", index);
        }
        all.put("opensearch", Map.of("endpoint", "http://127.0.0.1:9200"));
        return PropertyGroups.of(all);
    }

    private static void assertProblems(Map<String, String> source, Map<String, String> logs, String... expected) {
        assertThatThrownBy(() -> JobConfig.from(groups(source, logs, Map.of())))
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.problems()).containsExactly(expected));
    }
}
