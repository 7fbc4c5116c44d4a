package dev.searchsync.cdc.dynamodb;

import dev.searchsync.job.ToActions;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.Failures;
import dev.searchsync.testlog.LogCapture;
import dev.searchsync.testmetrics.CapturingTaskMetricGroup;
import dev.searchsync.validate.DocumentLimits;

import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.metrics.util.InterceptingOperatorMetricGroup;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static dev.searchsync.cdc.dynamodb.Changes.change;
import static org.assertj.core.api.Assertions.assertThat;

/** Good changes flow on; a bad one goes to the failure output with its reason, and the job keeps running. */
class DynamoDbToActionsTest {
    private static final String KEYS = "{\"id\":{\"S\":\"a\"}}";
    private static final String IMAGE = "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"1.50\"}}";
    private static final DynamoDbChangeMapper MAPPER = mapper(KeySchemaSource.fixed(KeySchema.of("id")));

    @Test
    void goodChangesComeOutAndABadOneGoesToTheFailureOutput() throws Exception {
        ToActions<ChangeRecord> function = toActions("orders", KeySchemaSource.fixed(KeySchema.of("id")), List.of(),
                List.of());
        ChangeRecord insert = change(ChangeType.INSERT, KEYS, IMAGE, null);
        ChangeRecord broken = change(ChangeType.MODIFY, KEYS, null, IMAGE);
        broken.setEventId("event-2");
        ChangeRecord remove = change(ChangeType.REMOVE, KEYS, null, IMAGE);
        remove.setEventId("event-3");

        try (OneInputStreamOperatorTestHarness<ChangeRecord, DocumentAction> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.setProcessingTime(1_234L);
            harness.processElement(insert, 10L);
            harness.processElement(broken, 11L);
            harness.processElement(remove, 12L);

            assertThat(harness.extractOutputValues()).containsExactly(
                    DocumentAction.index("orders", "a", "{\"id\":\"a\",\"n\":1.50}", MAPPER.origin(insert)),
                    DocumentAction.delete("orders", "a", MAPPER.origin(remove)));

            ConcurrentLinkedQueue<StreamRecord<FailedChange>> failures =
                    harness.getSideOutput(Failures.TAG);
            assertThat(failures).hasSize(1);
            FailedChange failure = failures.peek().getValue();
            assertThat(failure.getRecord()).isEqualTo(MAPPER.raw(broken));
            assertThat(ChangeRecordJson.read(failure.getRecord().getData())).isEqualTo(broken);
            assertThat(failure.getFailure().getStage()).isEqualTo(FailureStage.CONVERT);
            assertThat(failure.getFailure().getType()).isEqualTo(ConversionException.class.getName());
            assertThat(failure.getFailure().getReason()).startsWith("Cannot convert event 'event-2' of table 'Orders':"
                    + " MODIFY without a new image");
            assertThat(failure.getFailure().getFailedAt()).isEqualTo(1_234L);
        }
    }

    @Test
    void theLogNamesTheEventAndKeysOfAChangeThatCannotBeConvertedButNotItsValues() throws Exception {
        ToActions<ChangeRecord> function = toActions("orders", KeySchemaSource.fixed(KeySchema.of("id")), List.of(),
                List.of());
        ChangeRecord broken = change(ChangeType.INSERT, KEYS,
                "{\"id\":{\"S\":\"a\"},\"secret\":{\"N\":\"card-4111-1111\"}}", null);
        broken.setEventId("event-9");

        try (LogCapture log = LogCapture.start();
                OneInputStreamOperatorTestHarness<ChangeRecord, DocumentAction> harness =
                        ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.processElement(broken, 10L);

            assertThat(harness.getSideOutput(Failures.TAG)).hasSize(1);
            assertThat(harness.getSideOutput(Failures.TAG).peek().getValue().getFailure().getReason())
                    .as("the dead letter keeps the whole reason").contains("card-4111-1111");
            assertThat(log.text()).contains("event-9", KEYS).doesNotContain("card-4111-1111");
        }
    }

    @Test
    void aRecordTheSourceCouldNotReadIsADecodeFailure() throws Exception {
        ToActions<ChangeRecord> function = toActions("orders", KeySchemaSource.fixed(KeySchema.of("id")), List.of(),
                List.of());
        ChangeRecord undecodable = new ChangeRecord();
        undecodable.setEventId("event-9");
        undecodable.setDecodeError("java.lang.IllegalArgumentException: No enum constant TRUNCATE; record: Record(...)");

        try (OneInputStreamOperatorTestHarness<ChangeRecord, DocumentAction> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.processElement(undecodable, 10L);

            assertThat(harness.extractOutputValues()).isEmpty();
            FailedChange failure = harness.getSideOutput(Failures.TAG).peek().getValue();
            assertThat(failure.getFailure().getStage()).isEqualTo(FailureStage.DECODE);
            assertThat(failure.getRecord()).isEqualTo(MAPPER.raw(undecodable));
            assertThat(failure.getFailure().getReason()).contains("No enum constant TRUNCATE");
        }
    }

    @Test
    void changesAreCountedConvertedOrFailed() throws Exception {
        ToActions<ChangeRecord> function = toActions("orders", KeySchemaSource.fixed(KeySchema.of("id")), List.of(),
                List.of());
        InterceptingOperatorMetricGroup metrics = new InterceptingOperatorMetricGroup();
        try (OneInputStreamOperatorTestHarness<ChangeRecord, DocumentAction> harness =
                new OneInputStreamOperatorTestHarness<>(new ProcessOperator<>(function),
                        CapturingTaskMetricGroup.environment(metrics))) {
            harness.open();
            harness.processElement(change(ChangeType.INSERT, KEYS, IMAGE, null), 1L);
            harness.processElement(change(ChangeType.INSERT, "{\"other\":{\"S\":\"a\"}}", IMAGE, null), 2L);
            harness.processElement(change(ChangeType.INSERT, "not json", IMAGE, null), 3L);
            harness.processElement(change(ChangeType.REMOVE, KEYS, null, null), 4L);

            assertThat(harness.extractOutputValues()).hasSize(2);
            assertThat(harness.getSideOutput(Failures.TAG).stream()
                    .map(r -> r.getValue().getFailure().getReason())
                    .collect(Collectors.toList()))
                    .satisfiesExactly(
                            reason -> assertThat(reason).contains("partition key attribute 'id' is missing"),
                            reason -> assertThat(reason).contains("its keys are not DynamoDB JSON"));
            assertThat(((Counter) metrics.get("changesConverted")).getCount()).isEqualTo(2);
            assertThat(((Counter) metrics.get("conversionFailures")).getCount()).isEqualTo(2);
        }
    }

    @Test
    void documentsOverALimitGoToTheFailureOutputWithTheirRecordAndAction() throws Exception {
        ToActions<ChangeRecord> function = new ToActions<>(MAPPER, new DocumentLimits(64, 3));
        ChangeRecord small = change(ChangeType.INSERT, KEYS, "{\"id\":{\"S\":\"a\"},\"y\":{\"M\":{\"z\":{\"N\":\"2\"}}}}",
                null);
        ChangeRecord large = change(ChangeType.INSERT, KEYS,
                "{\"id\":{\"S\":\"a\"},\"text\":{\"S\":\"" + "x".repeat(100) + "\"}}", null);
        ChangeRecord wide = change(ChangeType.INSERT, KEYS,
                "{\"id\":{\"S\":\"a\"},\"p\":{\"N\":\"1\"},\"q\":{\"N\":\"2\"},\"r\":{\"N\":\"3\"}}", null);
        ChangeRecord delete = change(ChangeType.REMOVE, KEYS, null, null);
        try (OneInputStreamOperatorTestHarness<ChangeRecord, DocumentAction> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            for (ChangeRecord change : List.of(small, large, wide, delete)) {
                harness.processElement(change, 0);
            }

            assertThat(harness.extractOutputValues()).extracting(DocumentAction::getOp)
                    .containsExactly(dev.searchsync.model.Op.INDEX, dev.searchsync.model.Op.DELETE);
            List<FailedChange> failures = harness.getSideOutput(Failures.TAG).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(failures).extracting(f -> f.getFailure().getStage()).containsOnly(FailureStage.VALIDATE);
            assertThat(failures).extracting(FailedChange::getRecord)
                    .containsExactly(MAPPER.raw(large), MAPPER.raw(wide));
            assertThat(failures).allSatisfy(f -> assertThat(f.getAction().getDocument()).contains("\"id\":\"a\""));
            assertThat(failures.get(0).getFailure().getReason())
                    .isEqualTo("document of 120 bytes is over index/max.document.bytes (64)");
            assertThat(failures.get(1).getFailure().getReason())
                    .isEqualTo("document has 4 distinct fields, over index/max.fields (3)");
        }
    }

    @Test
    void keySchemaIsResolvedWhenTheTaskOpens() throws Exception {
        CountingKeySchemaSource source = new CountingKeySchemaSource();
        ToActions<ChangeRecord> function = toActions("orders", source, List.of(), List.of());
        assertThat(source.calls).isZero();
        try (OneInputStreamOperatorTestHarness<ChangeRecord, DocumentAction> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.processElement(change(ChangeType.INSERT, KEYS, IMAGE, null), 1L);
            harness.processElement(change(ChangeType.REMOVE, KEYS, null, null), 2L);
            assertThat(harness.extractOutputValues()).hasSize(2);
        }
        assertThat(source.calls).isEqualTo(1);
    }

    private static DynamoDbChangeMapper mapper(KeySchemaSource keys) {
        return new DynamoDbChangeMapper("orders", keys, List.of(), List.of());
    }

    private static ToActions<ChangeRecord> toActions(String index, KeySchemaSource keys, List<String> include,
            List<String> exclude) {
        return new ToActions<>(new DynamoDbChangeMapper(index, keys, include, exclude),
                new DocumentLimits(4_194_304, 1_000));
    }

    /** Counts lookups, which may call AWS and so must happen once per task, not per change. */
    private static final class CountingKeySchemaSource implements KeySchemaSource {
        private static final long serialVersionUID = 1L;
        int calls;

        @Override
        public KeySchema keySchema() {
            calls++;
            return KeySchema.of("id");
        }
    }
}
