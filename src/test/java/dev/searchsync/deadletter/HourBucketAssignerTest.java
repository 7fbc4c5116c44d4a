package dev.searchsync.deadletter;

import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/** Letters are filed by the UTC hour they failed in, whatever the machine's time zone. */
class HourBucketAssignerTest {
    private final HourBucketAssigner assigner = new HourBucketAssigner();

    @Test
    void bucketsByTheUtcHourOfTheFailure() {
        assertThat(bucket("2026-03-01T23:59:59.999Z")).isEqualTo("dt=2026-03-01/hour=23");
        assertThat(bucket("2026-03-02T00:00:00.000Z")).isEqualTo("dt=2026-03-02/hour=00");
        assertThat(bucket("2026-03-02T09:00:00.000Z")).isEqualTo("dt=2026-03-02/hour=09");
        assertThat(bucket("2026-03-02T09:59:59.999Z")).isEqualTo("dt=2026-03-02/hour=09");
        assertThat(bucket("2026-03-02T10:00:00.000Z")).isEqualTo("dt=2026-03-02/hour=10");
        assertThat(bucket("2028-02-29T12:30:00Z")).isEqualTo("dt=2028-02-29/hour=12");
        assertThat(bucket("1970-01-01T00:00:00Z")).isEqualTo("dt=1970-01-01/hour=00");
    }

    @Test
    void ignoresTheDefaultTimeZone() {
        TimeZone before = TimeZone.getDefault();
        try {
            TimeZone.setDefault(TimeZone.getTimeZone("Pacific/Kiritimati")); // UTC+14
            assertThat(bucket("2026-03-01T23:59:59.999Z")).isEqualTo("dt=2026-03-01/hour=23");
            TimeZone.setDefault(TimeZone.getTimeZone("America/St_Johns")); // UTC-3:30, half-hour offset
            assertThat(bucket("2026-03-02T00:15:00Z")).isEqualTo("dt=2026-03-02/hour=00");
        } finally {
            TimeZone.setDefault(before);
        }
    }

    @Test
    void usesTheLetterNotTheClock() {
        DeadLetter letter = new DeadLetter();
        letter.setError(Failure.of(FailureStage.INDEX, "t", "r", 400, Letters.AFTER_MIDNIGHT));
        assertThat(assigner.getBucketId(letter, null)).isEqualTo("dt=2026-03-02/hour=00");
        assertThat(HourBucketAssigner.bucketOf(Letters.AFTER_MIDNIGHT)).isEqualTo("dt=2026-03-02/hour=00");
    }

    @Test
    void serializerRoundTripsBucketIds() throws Exception {
        SimpleVersionedSerializer<String> serializer = assigner.getSerializer();
        for (String bucket : new String[] {"dt=2026-03-01/hour=23", "dt=2026-03-02/hour=00", ""}) {
            byte[] bytes = serializer.serialize(bucket);
            assertThat(serializer.deserialize(serializer.getVersion(), bytes)).isEqualTo(bucket);
        }
        assertThat(serializer.getVersion()).isEqualTo(1);
    }

    private String bucket(String instant) {
        DeadLetter letter = new DeadLetter();
        letter.setError(Failure.of(FailureStage.INDEX, "t", "r", 400, Instant.parse(instant).toEpochMilli()));
        return assigner.getBucketId(letter, null);
    }
}
