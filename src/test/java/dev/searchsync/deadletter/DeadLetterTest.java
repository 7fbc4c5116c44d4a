package dev.searchsync.deadletter;

import dev.searchsync.change.ChangeRecord;
import dev.searchsync.document.DocumentChange;
import dev.searchsync.failure.FailedChange;
import dev.searchsync.failure.FailureStage;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import dev.searchsync.metrics.ExportedMetrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The dead letter as Flink carries it, and the factories the failure paths use. */
class DeadLetterTest {
    private static final JobInfo JOB = JobInfo.of("searchsync", "0123456789abcdef0123456789abcdef", 1);

    @Test
    void aRedrivenChangeThatFailsAgainCountsOneAttemptMore() {
        FailedChange first = Letters.failed("evt-3", FailureStage.CONVERT, 5L);
        assertThat(DeadLetter.from(first, JOB).getAttempt()).isEqualTo(1);

        FailedChange again = Letters.failed("evt-3", FailureStage.CONVERT, 6L);
        again.getChange().setRedriveAttempt(2);
        assertThat(DeadLetter.from(again, JOB).getAttempt()).isEqualTo(3);
    }

    @Test
    void isAPojoWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(DeadLetter.class);
    }

    @Test
    void survivesFlinkSerialization() throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<DeadLetter> serializer = TypeInformation.of(DeadLetter.class).createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(1024);
        for (DeadLetter letter : new DeadLetter[] {Letters.full(), new DeadLetter()}) {
            serializer.serialize(letter, out);
            DeadLetter copy = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(copy).isEqualTo(letter).usingRecursiveComparison().isEqualTo(letter);
            out.clear();
        }
    }

    @Test
    void fromAFailedChangeKeepsTheChangeWholeAndTheError() {
        FailedChange failed = Letters.failed("evt-7", FailureStage.CONVERT, 1234L);
        DeadLetter letter = DeadLetter.from(failed, JOB);
        assertThat(letter.toChange()).isEqualTo(failed.getChange()).usingRecursiveComparison()
                .isEqualTo(failed.getChange());
        assertThat(letter.getStage()).isEqualTo(FailureStage.CONVERT);
        assertThat(letter.getErrorType()).isEqualTo(failed.getErrorType());
        assertThat(letter.getErrorReason()).isEqualTo(failed.getErrorReason());
        assertThat(letter.getFailedAt()).isEqualTo(1234L);
        assertThat(letter.getStatus()).isZero();
        assertThat(letter.getAttempt()).isEqualTo(1);
        assertThat(letter.getVersion()).isZero();
        assertThat(letter.getIndex()).isNull();
        assertThat(letter.getDocument()).isNull();
        assertThat(letter.getSchemaVersion()).isEqualTo(1);
        assertThat(letter.getJobName()).isEqualTo("searchsync");
        assertThat(letter.getJobId()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(letter.getSubtask()).isEqualTo(1);
    }

    @Test
    void aFailedChangeWithoutAChangeStillMakesALetter() {
        FailedChange failed = FailedChange.of(null, FailureStage.DECODE, new IllegalStateException("garbage"), 5L);
        DeadLetter letter = DeadLetter.from(failed, JOB);
        assertThat(letter.getEventId()).isNull();
        assertThat(letter.getErrorType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(DeadLetterJson.read(DeadLetterJson.write(letter))).isEqualTo(letter);
    }

    @Test
    void fromARejectionKeepsTheDocumentVersionAndStatus() {
        ChangeRecord change = Letters.change("evt-9");
        DocumentChange write = DocumentChange.write("orders", "evt-9|1", "{\"price\":1.50}", change);
        write.setVersion(77);
        long before = System.currentTimeMillis();
        DeadLetter letter = DeadLetter.fromRejected(write, 400, "mapper_parsing_exception", "failed to parse", JOB);
        assertThat(letter.getFailedAt()).isBetween(before, System.currentTimeMillis());
        assertThat(letter.getStage()).isEqualTo(FailureStage.INDEX);
        assertThat(letter.getIndex()).isEqualTo("orders");
        assertThat(letter.getDocumentId()).isEqualTo("evt-9|1");
        assertThat(letter.getDocument()).isEqualTo("{\"price\":1.50}");
        assertThat(letter.getVersion()).isEqualTo(77);
        assertThat(letter.isDelete()).isFalse();
        assertThat(letter.getStatus()).isEqualTo(400);
        assertThat(letter.getErrorType()).isEqualTo("mapper_parsing_exception");
        assertThat(letter.getErrorReason()).isEqualTo("failed to parse");
        assertThat(letter.toChange()).isEqualTo(change);

        DocumentChange delete = DocumentChange.delete("orders", "evt-9|1", change);
        DeadLetter deleted = DeadLetter.fromRejected(delete, 403, "security_exception", "no", JOB, 9L);
        assertThat(deleted.isDelete()).isTrue();
        assertThat(deleted.getDocument()).isNull();
        assertThat(deleted.getFailedAt()).isEqualTo(9L);
    }

    @Test
    void aRedrivenChangeCountsItsEarlierAttempts() {
        DeadLetter letter = DeadLetter.from(Letters.failed("evt-1", FailureStage.INDEX, 1L), JOB);
        assertThat(letter.getAttempt()).isEqualTo(1);
        assertThat(letter.afterAttempts(2).getAttempt()).isEqualTo(3);
        assertThat(letter.afterAttempts(0).getAttempt()).isEqualTo(1);
        assertThatThrownBy(() -> letter.afterAttempts(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jobInfoComesFromOperatorMetricVariables() {
        JobInfo info = JobInfo.of(new UnregisteredMetricsGroup() {
            @Override
            public Map<String, String> getAllVariables() {
                return Map.of("<job_name>", "searchsync", "<job_id>", "0123456789abcdef0123456789abcdef",
                        "<subtask_index>", "3", "<task_name>", "Sink: Writer");
            }
        });
        assertThat(info).isEqualTo(JobInfo.of("searchsync", "0123456789abcdef0123456789abcdef", 3));
        assertThat(JobInfo.of(new UnregisteredMetricsGroup()))
                .isEqualTo(JobInfo.of(JobInfo.UNKNOWN, JobInfo.UNKNOWN, -1));
    }

    @Test
    void metricsCountByStageAndErrorTypeButNotByReason() {
        MetricListener listener = new MetricListener();
        DeadLetterMetrics metrics = new DeadLetterMetrics(listener.getMetricGroup());
        for (int i = 0; i < 3; i++) {
            DeadLetter letter = DeadLetter.from(Letters.failed("e" + i, FailureStage.CONVERT, i), JOB);
            letter.setErrorReason("reason " + i);
            metrics.count(letter);
        }
        metrics.count(DeadLetter.fromRejected(DocumentChange.write("o", "1", "{}", null), 400,
                "mapper_parsing_exception", "x", JOB, 1L));
        assertThat(counter(listener, "deadLetters", "convert")).isEqualTo(3);
        assertThat(counter(listener, "deadLetters", "index")).isEqualTo(1);
        assertThat(counter(listener, "deadLetters", "decode")).isZero();
        assertThat(counter(listener, "deadLetters", "validate")).isZero();
        assertThat(counter(listener, "deadLettersByType", "convert", "ConversionException")).isEqualTo(3);
        assertThat(counter(listener, "deadLettersByType", "index", "mapper_parsing_exception")).isEqualTo(1);
        // Every stage feeds the one rate MSF exports to CloudWatch, which the dead-letter alarm watches.
        assertThat(listener.getMeter(ExportedMetrics.GROUP, ExportedMetrics.DEAD_LETTERS_PER_SECOND))
                .hasValueSatisfying(meter -> assertThat(meter.getCount()).isEqualTo(4));
    }

    @Test
    void errorTypesPastTheLimitCountAsOther() {
        MetricListener listener = new MetricListener();
        DeadLetterMetrics metrics = new DeadLetterMetrics(listener.getMetricGroup());
        for (int i = 0; i < DeadLetterMetrics.MAX_TYPES + 5; i++) {
            DeadLetter letter = new DeadLetter();
            letter.setStage(FailureStage.VALIDATE);
            letter.setErrorType("com.example.Outer$Problem" + i);
            metrics.count(letter);
        }
        assertThat(counter(listener, "deadLettersByType", "validate", "Problem0")).isEqualTo(1);
        assertThat(counter(listener, "deadLettersByType", "validate", "other")).isEqualTo(5);
        assertThat(counter(listener, "deadLetters", "validate")).isEqualTo(DeadLetterMetrics.MAX_TYPES + 5);
    }

    private static long counter(MetricListener listener, String... path) {
        return listener.getCounter(path).map(Counter::getCount).orElseThrow(
                () -> new AssertionError("no counter " + String.join(".", path)));
    }
}
