package dev.searchsync.deadletter;

import dev.searchsync.change.ChangeRecord;
import dev.searchsync.failure.FailedChange;
import dev.searchsync.failure.FailureStage;

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

    private static String good() {
        return DeadLetterJson.write(Letters.full());
    }

    @Test
    void aLetterBecomesItsChangeMarkedWithItsAttempts() {
        ChangeRecord change = RedriveLines.read(good());
        ChangeRecord expected = Letters.full().toChange();
        expected.setRedriveAttempt(3);
        assertThat(change).isEqualTo(expected);
    }

    @Test
    void malformedJsonIsRefused() {
        String line = good().substring(0, 120);
        assertThatThrownBy(() -> RedriveLines.read(line)).isInstanceOf(UnreadableLetterException.class)
                .hasMessageStartingWith("Not a dead letter (Unexpected end-of-input");
        assertThatThrownBy(() -> RedriveLines.read("not json at all")).isInstanceOf(UnreadableLetterException.class)
                .hasMessageStartingWith("Not a dead letter (Unrecognized token 'not'");
    }

    @Test
    void anUnknownEnvelopeVersionIsRefused() {
        assertThatThrownBy(() -> RedriveLines.read(good().replace("dead-letter/1", "dead-letter/2")))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessage("Dead letter of schema 'searchsync.dead-letter/2': this version of searchsync reads"
                        + " searchsync.dead-letter/1");
        assertThatThrownBy(() -> RedriveLines.read(good().replace("\"schema\":\"searchsync.dead-letter/1\",", "")))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessageStartingWith("Not a dead letter (no \"schema\" field)");
    }

    @Test
    void aLetterMissingWhatARedriveNeedsIsRefusedNamingEachField() {
        DeadLetter letter = Letters.full();
        letter.setEventName(null);
        letter.setKeys(null);
        letter.setShardId(null);
        letter.setApproximateCreationTime(0);
        assertThatThrownBy(() -> RedriveLines.read(DeadLetterJson.write(letter)))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessage("Cannot redrive a dead letter without change.eventName, change.keys, change.shardId,"
                        + " change.approximateCreationTimeMs: a redrive needs " + RedriveLines.REQUIRED
                        + " to order the change among the document's others");

        String line = good();
        String noChange = line.substring(0, line.indexOf("\"change\":")) + line.substring(line.indexOf("\"document\":"));
        assertThat(noChange).doesNotContain("\"change\"");
        assertThatThrownBy(() -> RedriveLines.read(noChange)).isInstanceOf(UnreadableLetterException.class)
                .hasMessageStartingWith("Cannot redrive a dead letter without change.eventName, change.keys,"
                        + " change.shardId, change.sequenceNumber, change.approximateCreationTimeMs:");
    }

    @Test
    void aLetterWithoutASequenceNumberIsRefused() {
        DeadLetter letter = Letters.full();
        letter.setSequenceNumber(null);
        assertThatThrownBy(() -> RedriveLines.read(DeadLetterJson.write(letter)))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessageStartingWith("Cannot redrive a dead letter without change.sequenceNumber:");
        letter.setSequenceNumber(" ");
        assertThatThrownBy(() -> RedriveLines.read(DeadLetterJson.write(letter)))
                .hasMessageStartingWith("Cannot redrive a dead letter without change.sequenceNumber:");
        letter.setSequenceNumber("12e4");
        assertThatThrownBy(() -> RedriveLines.read(DeadLetterJson.write(letter)))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessage("Cannot redrive a dead letter whose change.sequenceNumber is '12e4': expected decimal"
                        + " digits");
    }

    @Test
    void anAttemptBelowOneIsRefused() {
        DeadLetter letter = Letters.full();
        letter.setAttempt(0);
        assertThatThrownBy(() -> RedriveLines.read(DeadLetterJson.write(letter)))
                .isInstanceOf(UnreadableLetterException.class)
                .hasMessage("Cannot redrive a dead letter whose attempt is 0: expected 1 or more");
    }

    @Test
    void eachUnreadableLineGoesToTheSideOutputWholeWithItsReasonAndTheGoodOnesGoOn() throws Exception {
        DeadLetter noSequence = Letters.full();
        noSequence.setSequenceNumber(null);
        DeadLetter noKeys = Letters.full();
        noKeys.setKeys(null);
        List<String> bad = List.of(
                good().substring(0, 50),
                DeadLetterJson.write(noKeys),
                good().replace("dead-letter/1", "dead-letter/7"),
                DeadLetterJson.write(noSequence));
        RedriveSource.ReadLetter function = new RedriveSource.ReadLetter();
        try (OneInputStreamOperatorTestHarness<String, ChangeRecord> harness =
                ProcessFunctionTestHarnesses.forProcessFunction(function)) {
            harness.setProcessingTime(4_321L);
            for (String line : bad) {
                harness.processElement(line, 1L);
            }
            harness.processElement("   ", 1L);
            harness.processElement(good(), 1L);

            assertThat(harness.extractOutputValues()).hasSize(1);
            List<FailedChange> failures = harness.getSideOutput(RedriveSource.UNREADABLE).stream()
                    .map(StreamRecord::getValue).collect(Collectors.toList());
            assertThat(failures).extracting(FailedChange::getUnreadableLine).containsExactlyElementsOf(bad);
            assertThat(failures).allSatisfy(failure -> {
                assertThat(failure.getStage()).isEqualTo(FailureStage.REDRIVE);
                assertThat(failure.getErrorType()).isEqualTo(UnreadableLetterException.class.getName());
                assertThat(failure.getChange()).isNull();
                assertThat(failure.getFailedAt()).isEqualTo(4_321L);
            });
            assertThat(failures).extracting(FailedChange::getErrorReason).satisfiesExactly(
                    reason -> assertThat(reason).startsWith("Not a dead letter (Unexpected end-of-input"),
                    reason -> assertThat(reason).contains("without change.keys:"),
                    reason -> assertThat(reason).contains("'searchsync.dead-letter/7'"),
                    reason -> assertThat(reason).contains("without change.sequenceNumber:"));
            assertThat(function.unreadableCount()).isEqualTo(4);
        }
    }

    @Test
    void theUnreadableLineBecomesADeadLetterThatKeepsItExactly() {
        String line = "{\"schema\":\"searchsync.dead-letter/1\", \"n\": 1.50e0, \"text\": \"line\\nbreak é\"}";
        FailedChange failed = FailedChange.unreadable(line, new UnreadableLetterException("why"), 77L);
        DeadLetter letter = DeadLetter.from(failed, JOB);

        assertThat(letter.getStage()).isEqualTo(FailureStage.REDRIVE);
        assertThat(letter.getAttempt()).isEqualTo(1);
        assertThat(letter.getErrorReason()).isEqualTo("why");
        assertThat(letter.getFailedAt()).isEqualTo(77L);
        String written = DeadLetterJson.write(letter);
        assertThat(written).doesNotContain("\n").endsWith(",\"unreadableLine\":" + Letters.jsonString(line) + "}");
        DeadLetter copy = DeadLetterJson.read(written);
        assertThat(copy.getUnreadableLine()).isEqualTo(line);
        assertThat(copy).isEqualTo(letter);
    }
}
