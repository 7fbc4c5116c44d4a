package dev.searchsync.logs.cloudwatch;

import dev.searchsync.config.IndexName;
import dev.searchsync.job.ToActions;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.Failures;
import dev.searchsync.source.kinesis.KinesisRecord;
import dev.searchsync.testmetrics.CapturingTaskMetricGroup;
import dev.searchsync.validate.DocumentLimits;

import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.runtime.operators.testutils.MockEnvironmentBuilder;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapper inside the step that runs it: it learns its parallelism and reports its counters there. */
class CloudWatchLogsToActionsTest {
    private static final long T0 = 1_764_583_200_123L;

    @Test
    void theStepHandsTheMapperItsParallelismAndMetricGroup() throws Exception {
        // A budget of 4 over 2 instances: 2 paths each, so a message of 3 fields stays text here.
        CloudWatchLogsMapper mapper = new CloudWatchLogsMapper("app-logs", IndexName.fixed("cwl"), 1 << 20, true, 4);
        InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
        try (OneInputStreamOperatorTestHarness<KinesisRecord, DocumentAction> harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(
                        new ToActions<>(mapper, new DocumentLimits(1 << 22, 1000))),
                        new MockEnvironmentBuilder().setParallelism(2).setMaxParallelism(128)
                                .setMetricGroup(new CapturingTaskMetricGroup(metrics)).build())) {
            harness.open();
            harness.processElement(record(LogsPayloads.data("g", "s").event("1", T0, "{\"a\":1,\"b\":2,\"c\":3}")
                    .event("2", T0, "{\"a\":1,\"b\":2}").gzip()), 1L);
            harness.processElement(record(LogsPayloads.control()), 2L);
            harness.processElement(record("not gzip".getBytes(StandardCharsets.UTF_8)), 3L);

            assertThat(harness.extractOutputValues()).extracting(a -> a.getDocument().contains("\"@json\""))
                    .containsExactly(false, true);
            assertThat(harness.getSideOutput(Failures.TAG)).singleElement()
                    .satisfies(f -> assertThat(f.getValue().getFailure().getStage()).isEqualTo(FailureStage.DECODE));
            assertThat(count(metrics, "jsonMessagesOverBudget")).isEqualTo(1);
            assertThat(count(metrics, "jsonMessagesParsed")).isEqualTo(1);
            assertThat(count(metrics, "controlMessagesSkipped")).isEqualTo(1);
            assertThat(count(metrics, "jsonMessagesConflicting")).isZero();
        }
    }

    private static long count(InterceptingOperatorMetricGroup metrics, String name) {
        return ((Counter) metrics.get(name)).getCount();
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
