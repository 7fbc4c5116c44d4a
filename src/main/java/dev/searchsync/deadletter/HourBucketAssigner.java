package dev.searchsync.deadletter;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Files each dead letter under {@code dt=YYYY-MM-DD/hour=HH} of the UTC hour it failed in. The hour comes from
 * the letter, not from the clock, so a replay after a restart writes a letter to the same folder again.
 */
public final class HourBucketAssigner implements BucketAssigner<DeadLetter, String> {
    private static final long serialVersionUID = 1L;

    private static final DateTimeFormatter BUCKET =
            DateTimeFormatter.ofPattern("'dt='uuuu-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

    @Override
    public String getBucketId(DeadLetter letter, Context context) {
        return bucketOf(letter.failedAt());
    }

    /** Bucket ids are stored in the sink's state as UTF-8 text, version 1. */
    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }

    /** The folder, relative to the dead-letter prefix, of a letter that failed at {@code epochMillis}. */
    public static String bucketOf(long epochMillis) {
        return BUCKET.format(Instant.ofEpochMilli(epochMillis));
    }

    @Override
    public String toString() {
        return "HourBucketAssigner{dt=YYYY-MM-DD/hour=HH, UTC, by failedAt}";
    }
}
