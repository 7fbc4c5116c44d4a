package dev.searchsync.document;

import dev.searchsync.change.ChangeRecord;
import dev.searchsync.change.ChangeType;
import dev.searchsync.failure.FailedChange;
import dev.searchsync.failure.FailureStage;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import dev.searchsync.testlog.LogCapture;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;

import static dev.searchsync.document.Changes.change;
import static org.assertj.core.api.Assertions.assertThat;

/** Good changes flow on; a bad one goes to the failure output with its reason, and the job keeps running. */
class ConvertChangesTest {
    private static final String KEYS = "{\"id\":{\"S\":\"a\"}}";
    private static final String IMAGE = "{\"id\":{\"S\":\"a\"},\"n\":{\"N\":\"1.50\"}}";

    @Test
    void goodChangesComeOutAndABadOneGoesToTheFailureOutput() throws Exception {
        ConvertChanges function = new ConvertChanges("orders", KeySchemaSource.fixed(KeySchema.of("id")), List.of(),
                List.of());
        ChangeRecord insert = change(ChangeType.INSERT, KEYS, IMAGE, null);
        ChangeRecord broken = change(ChangeType.MODIFY, KEYS, null, IMAGE);
        broken.setEventId("event-2");
        ChangeRecord remove = change(ChangeType.REMOVE, KEYS, null, IMAGE);
        remove.setEventId("event-3");

        try (OneInputStreamOperatorTestHarness<ChangeRecord, DocumentChange> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.setProcessingTime(1_234L);
            harness.processElement(insert, 10L);
            harness.processElement(broken, 11L);
            harness.processElement(remove, 12L);

            assertThat(harness.extractOutputValues()).containsExactly(
                    DocumentChange.write("orders", "a", "{\"id\":\"a\",\"n\":1.50}", insert),
                    DocumentChange.delete("orders", "a", remove));

            ConcurrentLinkedQueue<StreamRecord<FailedChange>> failures =
                    harness.getSideOutput(ConvertChanges.FAILURES);
            assertThat(failures).hasSize(1);
            FailedChange failure = failures.peek().getValue();
            assertThat(failure.getChange()).isEqualTo(broken);
            assertThat(failure.getStage()).isEqualTo(FailureStage.CONVERT);
            assertThat(failure.getErrorType()).isEqualTo(ConversionException.class.getName());
            assertThat(failure.getErrorReason()).startsWith("Cannot convert event 'event-2' of table 'Orders':"
                    + " MODIFY without a new image");
            assertThat(failure.getFailedAt()).isEqualTo(1_234L);
        }
    }

    @Test
    void theLogNamesTheEventAndKeysOfAChangeThatCannotBeConvertedButNotItsValues() throws Exception {
        ConvertChanges function = new ConvertChanges("orders", KeySchemaSource.fixed(KeySchema.of("id")), List.of(),
                List.of());
        ChangeRecord broken = change(ChangeType.INSERT, KEYS,
                "{\"id\":{\"S\":\"a\"},\"secret\":{\"N\":\"card-4111-1111\"}}", null);
        broken.setEventId("event-9");

        try (LogCapture log = LogCapture.start();
                OneInputStreamOperatorTestHarness<ChangeRecord, DocumentChange> harness =
                        ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.processElement(broken, 10L);

            assertThat(harness.getSideOutput(ConvertChanges.FAILURES)).hasSize(1);
            assertThat(harness.getSideOutput(ConvertChanges.FAILURES).peek().getValue().getErrorReason())
                    .as("the dead letter keeps the whole reason").contains("card-4111-1111");
            assertThat(log.text()).contains("event-9", KEYS).doesNotContain("card-4111-1111");
        }
    }

    @Test
    void aRecordTheSourceCouldNotReadIsADecodeFailure() throws Exception {
        ConvertChanges function = new ConvertChanges("orders", KeySchemaSource.fixed(KeySchema.of("id")), List.of(),
                List.of());
        ChangeRecord undecodable = new ChangeRecord();
        undecodable.setEventId("event-9");
        undecodable.setDecodeError("java.lang.IllegalArgumentException: No enum constant TRUNCATE; record: Record(...)");

        try (OneInputStreamOperatorTestHarness<ChangeRecord, DocumentChange> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.processElement(undecodable, 10L);

            assertThat(harness.extractOutputValues()).isEmpty();
            FailedChange failure = harness.getSideOutput(ConvertChanges.FAILURES).peek().getValue();
            assertThat(failure.getStage()).isEqualTo(FailureStage.DECODE);
            assertThat(failure.getChange()).isEqualTo(undecodable);
            assertThat(failure.getErrorReason()).contains("No enum constant TRUNCATE");
        }
    }

    @Test
    void changesAreCountedConvertedOrFailed() throws Exception {
        ConvertChanges function = new ConvertChanges("orders", KeySchemaSource.fixed(KeySchema.of("id")), List.of(),
                List.of());
        try (OneInputStreamOperatorTestHarness<ChangeRecord, DocumentChange> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.processElement(change(ChangeType.INSERT, KEYS, IMAGE, null), 1L);
            harness.processElement(change(ChangeType.INSERT, "{\"other\":{\"S\":\"a\"}}", IMAGE, null), 2L);
            harness.processElement(change(ChangeType.INSERT, "not json", IMAGE, null), 3L);
            harness.processElement(change(ChangeType.REMOVE, KEYS, null, null), 4L);

            assertThat(harness.extractOutputValues()).hasSize(2);
            assertThat(harness.getSideOutput(ConvertChanges.FAILURES).stream()
                    .map(r -> r.getValue().getErrorReason())
                    .collect(Collectors.toList()))
                    .satisfiesExactly(
                            reason -> assertThat(reason).contains("partition key attribute 'id' is missing"),
                            reason -> assertThat(reason).contains("its keys are not DynamoDB JSON"));
            assertThat(function.changesConvertedCount()).isEqualTo(2);
            assertThat(function.conversionFailureCount()).isEqualTo(2);
        }
    }

    @Test
    void keySchemaIsResolvedWhenTheTaskOpens() throws Exception {
        CountingKeySchemaSource source = new CountingKeySchemaSource();
        ConvertChanges function = new ConvertChanges("orders", source, List.of(), List.of());
        assertThat(source.calls).isZero();
        try (OneInputStreamOperatorTestHarness<ChangeRecord, DocumentChange> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.processElement(change(ChangeType.INSERT, KEYS, IMAGE, null), 1L);
            harness.processElement(change(ChangeType.REMOVE, KEYS, null, null), 2L);
            assertThat(harness.extractOutputValues()).hasSize(2);
        }
        assertThat(source.calls).isEqualTo(1);
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
