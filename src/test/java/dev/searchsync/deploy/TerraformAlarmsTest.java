package dev.searchsync.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.searchsync.metrics.ExportedMetrics;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The module's alarms watch metrics that exist: MSF's built-in ones by name, and the job's own only if the job
 * exports them (an alarm on a metric nobody sends stays quiet forever, which no other check would notice).
 */
class TerraformAlarmsTest {
    private static final Path TERRAFORM = Path.of("terraform").toAbsolutePath();
    private static final Pattern INSIGHTS_METRIC =
            Pattern.compile("SELECT\\s+\\w+\\((\\w+)\\)\\s+FROM\\s+\"AWS/KinesisAnalytics\"", Pattern.CASE_INSENSITIVE);

    @Test
    void everyAlarmWatchesAMetricThatIsSentToCloudWatch() {
        Map<String, String> metricByAlarm = alarmMetrics();

        assertThat(metricByAlarm).containsOnly(
                Map.entry("downtime", "downtime"),
                Map.entry("full_restarts", "fullRestarts"),
                Map.entry("failed_checkpoints", "numberOfFailedCheckpoints"),
                Map.entry("source_lag", ExportedMetrics.MILLIS_BEHIND_LATEST),
                Map.entry("dead_letters", ExportedMetrics.DEAD_LETTERS_PER_SECOND));
    }

    /** Alarm name -> the one metric it reads: metric_name, a metric_query's metric, or a Metrics Insights query. */
    private static Map<String, String> alarmMetrics() {
        Map<String, String> metrics = new TreeMap<>();
        for (JsonNode file : Hcl.parseTree(TERRAFORM).files().values()) {
            JsonNode alarms = file.path("resource").path("aws_cloudwatch_metric_alarm");
            for (Iterator<Map.Entry<String, JsonNode>> it = alarms.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> alarm = it.next();
                JsonNode body = alarm.getValue().get(0);
                String metric = body.path("metric_name").asText(null);
                for (JsonNode query : body.path("metric_query")) {
                    JsonNode queried = query.path("metric").path(0).path("metric_name");
                    if (queried.isTextual()) {
                        metric = queried.asText();
                    }
                    Matcher insights = INSIGHTS_METRIC.matcher(query.path("expression").asText(""));
                    if (insights.find()) {
                        metric = insights.group(1);
                    }
                }
                metrics.put(alarm.getKey(), metric);
            }
        }
        return metrics;
    }
}
