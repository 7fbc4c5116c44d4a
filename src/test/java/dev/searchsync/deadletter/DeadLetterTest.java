package dev.searchsync.deadletter;

import dev.searchsync.metrics.ExportedMetrics;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The dead letter as Flink carries it, and the factories the failure paths use. */
class DeadLetterTest {
    private static final JobInfo JOB = JobInfo.of("searchsync", "0123456789abcdef0123456789abcdef", 1);

    @Test
    void aRedrivenChangeThatFailsAgainCountsOneAttemptMore() {
        FailedChange first = Letters.failed("evt-3", FailureStage.CONVERT, 5L);
        assertThat(DeadLetter.of(first, JOB).getAttempt()).isEqualTo(1);

        FailedChange again = Letters.failed("evt-3", FailureStage.CONVERT, 6L);
        again.setOrigin(again.getOrigin().redriven(2));
        assertThat(DeadLetter.of(again, JOB).getAttempt()).isEqualTo(3);
    }

    @Test
    void isAPojoWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(DeadLetter.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(FailedChange.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(DocumentAction.class);
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
    void isTheFailedChangeWithItsJobNotACopyOfIt() {
        FailedChange failed = Letters.failed("evt-7", FailureStage.CONVERT, 1234L);
        DeadLetter letter = DeadLetter.of(failed, JOB);
        assertThat(letter.toFailedChange()).isEqualTo(failed);
        assertThat(letter.getError()).isSameAs(failed.getFailure());
        assertThat(letter.getRecord()).isSameAs(failed.getRecord());
        assertThat(letter.stage()).isEqualTo(FailureStage.CONVERT);
        assertThat(letter.failedAt()).isEqualTo(1234L);
        assertThat(letter.getAttempt()).isEqualTo(1);
        assertThat(letter.getAction()).isNull();
        assertThat(letter.getSchema()).isEqualTo("searchsync.dead-letter/2");
        assertThat(letter.getJob()).isEqualTo(JOB);
    }

    @Test
    void aFailureWithoutOriginStillMakesALetter() {
        FailedChange failed = FailedChange.of(null, RawRecord.text("garbage"), null,
                Failure.of(FailureStage.REDRIVE, new IllegalStateException("garbage"), 5L));
        DeadLetter letter = DeadLetter.of(failed, JOB);
        assertThat(letter.getOrigin()).isNull();
        assertThat(letter.getAttempt()).isEqualTo(1);
        assertThat(letter.getError().getType()).isEqualTo("java.lang.IllegalStateException");
        assertThat(DeadLetterJson.read(DeadLetterJson.write(letter))).isEqualTo(letter);
    }

    @Test
    void aRejectionKeepsTheActionItsVersionAndTheStatusButNoRecord() {
        Origin origin = Letters.origin(Letters.change("evt-9"));
        DocumentAction write = DocumentAction.index("orders", "evt-9|1", "{\"price\":1.50}", origin).withVersion(77);
        DeadLetter letter = DeadLetter.of(FailedChange.rejected(write, Failure.of(FailureStage.INDEX,
                "mapper_parsing_exception", "failed to parse", 400, 9L)), JOB);
        assertThat(letter.stage()).isEqualTo(FailureStage.INDEX);
        assertThat(letter.getAction()).isEqualTo(write);
        assertThat(letter.getOrigin()).isEqualTo(origin);
        assertThat(letter.getRecord()).isNull();
        assertThat(letter.getError().getStatus()).isEqualTo(400);
        assertThat(DeadLetterJson.read(DeadLetterJson.write(letter))).isEqualTo(letter);
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
            DeadLetter letter = DeadLetter.of(Letters.failed("e" + i, FailureStage.CONVERT, i), JOB);
            letter.getError().setReason("reason " + i);
            metrics.count(letter);
        }
        metrics.count(DeadLetter.of(FailedChange.rejected(DocumentAction.index("o", "1", "{}", null),
                Failure.of(FailureStage.INDEX, "mapper_parsing_exception", "x", 400, 1L)), JOB));
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
            letter.setError(Failure.of(FailureStage.VALIDATE, "com.example.Outer$Problem" + i, "r", 0, 1L));
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
