package dev.searchsync.source.split;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where a shard's reading begins: an iterator type and, for AFTER_SEQUENCE_NUMBER, the last record already read,
 * or for AT_TIMESTAMP, the time from which records count (how LATEST is pinned, so a restore or a renewed iterator
 * never moves it forward and skips records).
 */
public final class StartingPosition implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The iterator types searchsync uses, each with the code that checkpoints hold for it. */
    public enum Type {
        TRIM_HORIZON(0),
        LATEST(1),
        AFTER_SEQUENCE_NUMBER(2),
        AT_TIMESTAMP(3);

        // Savepoints hold these codes: never change or reuse one, whatever the order of the constants.
        private final int code;

        Type(int code) {
            this.code = code;
        }

        /** The byte checkpoints hold for this type. */
        public int code() {
            return code;
        }

        /** The type written as {@code code}; fails naming the code when this build does not know it. */
        public static Type fromCode(int code) {
            for (Type type : values()) {
                if (type.code == code) {
                    return type;
                }
            }
            throw new IllegalArgumentException("unknown starting position code " + code + " (this build knows "
                    + Arrays.stream(values()).map(c -> c + "=" + c.code).collect(Collectors.joining(", ")) + ")");
        }
    }

    private static final StartingPosition TRIM_HORIZON = new StartingPosition(Type.TRIM_HORIZON, null, 0);
    private static final StartingPosition LATEST = new StartingPosition(Type.LATEST, null, 0);

    private final Type type;
    private final String sequenceNumber;
    private final long timestamp;

    private StartingPosition(Type type, String sequenceNumber, long timestamp) {
        this.type = type;
        this.sequenceNumber = sequenceNumber;
        this.timestamp = timestamp;
    }

    public static StartingPosition trimHorizon() {
        return TRIM_HORIZON;
    }

    public static StartingPosition latest() {
        return LATEST;
    }

    public static StartingPosition afterSequenceNumber(String sequenceNumber) {
        return new StartingPosition(Type.AFTER_SEQUENCE_NUMBER, Objects.requireNonNull(sequenceNumber), 0);
    }

    /** Records written at or after {@code epochMillis}. */
    public static StartingPosition atTimestamp(long epochMillis) {
        return new StartingPosition(Type.AT_TIMESTAMP, null, epochMillis);
    }

    public static StartingPosition of(Type type, String sequenceNumber, long timestamp) {
        switch (type) {
            case TRIM_HORIZON:
                return TRIM_HORIZON;
            case LATEST:
                return LATEST;
            case AT_TIMESTAMP:
                return atTimestamp(timestamp);
            default:
                return afterSequenceNumber(sequenceNumber);
        }
    }

    public Type type() {
        return type;
    }

    /** The sequence number for AFTER_SEQUENCE_NUMBER, otherwise null. */
    public String sequenceNumber() {
        return sequenceNumber;
    }

    /** Epoch milliseconds for AT_TIMESTAMP, otherwise 0. */
    public long timestamp() {
        return timestamp;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StartingPosition)) {
            return false;
        }
        StartingPosition that = (StartingPosition) o;
        return type == that.type && timestamp == that.timestamp && Objects.equals(sequenceNumber, that.sequenceNumber);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, sequenceNumber, timestamp);
    }

    @Override
    public String toString() {
        if (type == Type.AT_TIMESTAMP) {
            return type + "(" + timestamp + ")";
        }
        return sequenceNumber == null ? type.name() : type + "(" + sequenceNumber + ")";
    }
}
