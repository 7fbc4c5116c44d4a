package dev.searchsync.deadletter;

import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.ChangeRecordJson;
import dev.searchsync.cdc.dynamodb.DynamoDbChangeMapper;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.cdc.dynamodb.KeySchemaSource;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.Failures;
import dev.searchsync.model.RawRecord;

import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a line of the redrive folder becomes: the change its letter holds, or, for each kind of line that cannot be
 * redriven, a failure of stage REDRIVE holding the line as it was and the reason, never an exception that stops
 * the job.
 */
class RedriveLinesTest {
    private static final JobInfo JOB = JobInfo.of("searchsync", "0123456789abcdef0123456789abcdef", 0);
    private static final String KIND = "dynamodb-streams";
    private static final DynamoDbChangeMapper MAPPER = new DynamoDbChangeMapper("orders",
            KeySchemaSource.fixed(KeySchema.of("pk", "sk")), List.of(), List.of());

    private static String good() {
        return DeadLetterJson.write(Letters.full());
    }

    /** A letter of an action OpenSearch refused: no record, only the action. */
    private static String refused() {
        DeadLetter letter = Letters.full();
        letter.setRecord(null);
        return DeadLetterJson.write(letter);
    }

    @Test
    void aLetterIsReadWithWhatARedriveNeeds() {
        DeadLetter letter = RedriveLines.read(good(), KIND);
        assertThat(letter).isEqualTo(Letters.full());
    }

    @Test
    void malformedJsonIsRefused() {
        String line = good().substring(0, 120);
        assertThatThrownBy(() -> RedriveLines.read(line, KIND)).isInstanceOf(UnreadableLetterException.class)
                .hasMessageStartingWith("Not a dead letter (Unexpected end-of-input");
        assertThatThrownBy(() -> RedriveLines.read("not json at all", KIND))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessageStartingWith("Not a dead letter (Unrecognized token 'not'");
    }

    @Test
    void anUnknownEnvelopeVersionIsRefused() {
        assertThatThrownBy(() -> RedriveLines.read(good().replace("dead-letter/2", "dead-letter/3"), KIND))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessage("Dead letter of schema 'searchsync.dead-letter/3': this version of searchsync reads"
                        + " searchsync.dead-letter/2 and searchsync.dead-letter/1");
        assertThatThrownBy(() -> RedriveLines.read(good().replace("\"schema\":\"searchsync.dead-letter/2\",", ""),
                KIND))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessageStartingWith("Not a dead letter: \"schema\" is 'null'");
    }

    @Test
    void aLetterMissingWhatARedriveNeedsIsRefusedNamingEachField() {
        DeadLetter letter = Letters.full();
        letter.getOrigin().setShard(null);
        letter.getOrigin().setEventTime(0);
        letter.setRecord(null);
        letter.setAction(null);
        assertThatThrownBy(() -> RedriveLines.read(DeadLetterJson.write(letter), KIND))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessage("Cannot redrive a dead letter without origin.shard, origin.eventTime, record or action:"
                        + " a redrive needs " + RedriveLines.REQUIRED
                        + " to order the change among the document's others");

        DeadLetter noOrigin = Letters.full();
        noOrigin.setOrigin(null);
        assertThatThrownBy(() -> RedriveLines.read(DeadLetterJson.write(noOrigin), KIND))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessageStartingWith("Cannot redrive a dead letter without origin.kind, origin.shard,"
                        + " origin.sequence, origin.eventTime:");
    }

    @Test
    void aLetterOfAnotherInputKindIsRefused() {
        assertThatThrownBy(() -> RedriveLines.read(good(), "kinesis"))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessage("Cannot redrive a dead letter of a dynamodb-streams input into this job, which reads"
                        + " kinesis");
    }

    @Test
    void aLetterWithoutASequenceNumberIsRefused() {
        DeadLetter letter = Letters.full();
        letter.getOrigin().setSequence(null);
        assertThatThrownBy(() -> RedriveLines.read(DeadLetterJson.write(letter), KIND))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessageStartingWith("Cannot redrive a dead letter without origin.sequence:");
        letter.getOrigin().setSequence(" ");
        assertThatThrownBy(() -> RedriveLines.read(DeadLetterJson.write(letter), KIND))
                .hasMessageStartingWith("Cannot redrive a dead letter without origin.sequence:");
        letter.getOrigin().setSequence("12e4");
        assertThatThrownBy(() -> RedriveLines.read(DeadLetterJson.write(letter), KIND))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessage("Cannot redrive a dead letter whose origin.sequence is '12e4': expected decimal digits");
    }

    @Test
    void anAttemptBelowOneIsRefused() {
        DeadLetter letter = Letters.full();
        letter.setAttempt(0);
        assertThatThrownBy(() -> RedriveLines.read(DeadLetterJson.write(letter), KIND))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessage("Cannot redrive a dead letter whose attempt is 0: expected 1 or more");
    }

    @Test
    void aKeptRecordGoesBackAsTheRecordAndARefusedActionAsTheActionBothMarkedWithTheirAttempts()
            throws Exception {
        RedriveSource.ReadLetter<ChangeRecord> function = new RedriveSource.ReadLetter<>(MAPPER);
        try (OneInputStreamOperatorTestHarness<String, ChangeRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.processElement(good(), 1L);
            harness.processElement(refused(), 1L);
            harness.processElement(DeadLetterJsonTest.V1, 1L);

            ChangeRecord expected = ChangeRecordJson.read(Letters.full().getRecord().getData());
            expected.setRedriveAttempt(3);
            ChangeRecord fromV1 = ChangeRecordJson.read(DeadLetterJson.read(DeadLetterJsonTest.V1).getRecord()
                    .getData());
            fromV1.setRedriveAttempt(1);
            assertThat(harness.extractOutputValues()).containsExactly(expected, fromV1);
            List<DocumentAction> actions = harness.getSideOutput(RedriveSource.ACTIONS).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(actions).singleElement().satisfies(action -> {
                assertThat(action.getDocument()).isEqualTo(Letters.DOCUMENT);
                assertThat(action.getVersion()).isEqualTo(4000000000000000000L);
                assertThat(action.getOrigin().getRedriveAttempt()).isEqualTo(3);
                assertThat(action.getOrigin().getSequence()).isEqualTo(Letters.full().getOrigin().getSequence());
            });
            assertThat(harness.getSideOutput(Failures.TAG)).isNull();
        }
    }

    @Test
    void eachUnreadableLineGoesToTheSideOutputWholeWithItsReasonAndTheGoodOnesGoOn() throws Exception {
        DeadLetter noSequence = Letters.full();
        noSequence.getOrigin().setSequence(null);
        DeadLetter nothing = Letters.full();
        nothing.setRecord(null);
        nothing.setAction(null);
        DeadLetter badRecord = Letters.full();
        badRecord.setRecord(RawRecord.text("not a change"));
        List<String> bad = List.of(
                good().substring(0, 50),
                DeadLetterJson.write(nothing),
                good().replace("dead-letter/2", "dead-letter/7"),
                DeadLetterJson.write(noSequence),
                DeadLetterJson.write(badRecord));
        RedriveSource.ReadLetter<ChangeRecord> function = new RedriveSource.ReadLetter<>(MAPPER);
        try (OneInputStreamOperatorTestHarness<String, ChangeRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.setProcessingTime(4_321L);
            for (String line : bad) {
                harness.processElement(line, 1L);
            }
            harness.processElement("   ", 1L);
            harness.processElement(good(), 1L);

            assertThat(harness.extractOutputValues()).hasSize(1);
            List<FailedChange> failures = harness.getSideOutput(Failures.TAG).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(failures).extracting(f -> f.getRecord().getData()).containsExactlyElementsOf(bad);
            assertThat(failures).allSatisfy(failure -> {
                assertThat(failure.getRecord().getFormat()).isEqualTo(RawRecord.RawFormat.TEXT);
                assertThat(failure.getFailure().getStage()).isEqualTo(FailureStage.REDRIVE);
                assertThat(failure.getFailure().getType()).isEqualTo(UnreadableLetterException.class.getName());
                assertThat(failure.getOrigin()).isNull();
                assertThat(failure.getFailure().getFailedAt()).isEqualTo(4_321L);
            });
            assertThat(failures).extracting(f -> f.getFailure().getReason()).satisfiesExactly(
                    reason -> assertThat(reason).startsWith("Not a dead letter (Unexpected end-of-input"),
                    reason -> assertThat(reason).contains("without record or action:"),
                    reason -> assertThat(reason).contains("'searchsync.dead-letter/7'"),
                    reason -> assertThat(reason).contains("without origin.sequence:"),
                    reason -> assertThat(reason).contains("the dynamodb-streams input cannot read back"));
            assertThat(function.unreadableCount()).isEqualTo(5);
        }
    }

    @Test
    void theUnreadableLineBecomesADeadLetterThatKeepsItExactly() {
        String line = "{\"schema\":\"searchsync.dead-letter/1\", \"n\": 1.50e0, \"text\": \"line\\nbreak é\"}";
        FailedChange failed = FailedChange.of(null, RawRecord.text(line), null,
                Failure.of(FailureStage.REDRIVE, new UnreadableLetterException("why"), 77L));
        DeadLetter letter = DeadLetter.of(failed, JOB);

        assertThat(letter.stage()).isEqualTo(FailureStage.REDRIVE);
        assertThat(letter.getAttempt()).isEqualTo(1);
        assertThat(letter.getError().getReason()).isEqualTo("why");
        assertThat(letter.failedAt()).isEqualTo(77L);
        String written = DeadLetterJson.write(letter);
        assertThat(written).doesNotContain("\n").endsWith("\"record\":{\"format\":\"TEXT\",\"data\":"
                + Letters.jsonString(line) + "}}");
        DeadLetter copy = DeadLetterJson.read(written);
        assertThat(copy.getRecord().getData()).isEqualTo(line);
        assertThat(copy).isEqualTo(letter);
    }
}
