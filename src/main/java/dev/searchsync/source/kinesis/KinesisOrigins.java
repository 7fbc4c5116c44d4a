package dev.searchsync.source.kinesis;

import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;

/**
 * What every input on a Kinesis stream says alike about a {@link KinesisRecord}, whatever its data holds: where it
 * came from, how it is named in a log line, and how it comes back from a dead letter that kept its bytes.
 */
public final class KinesisOrigins {
    private KinesisOrigins() {}

    /** The record's place in its stream, for the input {@code input} of kind {@code kind}. */
    public static Origin origin(KinesisRecord record, String input, String kind) {
        Origin origin = Origin.of(input, kind, record.getShardId(), record.getParentShardId(),
                record.getSequenceNumber(), record.getApproximateArrivalMillis(), null);
        return record.getRedriveAttempt() > 0 ? origin.redriven(record.getRedriveAttempt()) : origin;
    }

    /** The record named by its position, never its data. */
    public static String describe(KinesisRecord record, String input) {
        return "record " + record.getSequenceNumber() + " of shard " + record.getShardId() + " of stream " + input;
    }

    /**
     * The record a dead letter kept as bytes, placed where {@code origin} says it was read.
     *
     * @throws IllegalArgumentException when {@code raw} is not bytes
     */
    public static KinesisRecord restore(RawRecord raw, Origin origin) {
        if (raw.getFormat() != RawRecord.RawFormat.BASE64) {
            throw new IllegalArgumentException("a Kinesis record is kept as BASE64 bytes, this record is "
                    + raw.getFormat());
        }
        KinesisRecord record = new KinesisRecord();
        record.setStream(origin.getInput());
        record.setShardId(origin.getShard());
        record.setParentShardId(origin.getParentShard());
        record.setSequenceNumber(origin.getSequence());
        record.setApproximateArrivalMillis(origin.getEventTime());
        record.setData(raw.toBytes());
        record.setRedriveAttempt(origin.getRedriveAttempt());
        return record;
    }
}
