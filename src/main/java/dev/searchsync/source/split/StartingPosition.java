package dev.searchsync.source.split;

import java.io.Serializable;
import java.util.Objects;

/** Where a shard's reading begins: an iterator type and, for AFTER_SEQUENCE_NUMBER, the last record already read. */
public final class StartingPosition implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The iterator types searchsync uses. */
    public enum Type {
        TRIM_HORIZON,
        LATEST,
        AFTER_SEQUENCE_NUMBER
    }

    private static final StartingPosition TRIM_HORIZON = new StartingPosition(Type.TRIM_HORIZON, null);
    private static final StartingPosition LATEST = new StartingPosition(Type.LATEST, null);

    private final Type type;
    private final String sequenceNumber;

    private StartingPosition(Type type, String sequenceNumber) {
        this.type = type;
        this.sequenceNumber = sequenceNumber;
    }

    public static StartingPosition trimHorizon() {
        return TRIM_HORIZON;
    }

    public static StartingPosition latest() {
        return LATEST;
    }

    public static StartingPosition afterSequenceNumber(String sequenceNumber) {
        return new StartingPosition(Type.AFTER_SEQUENCE_NUMBER, Objects.requireNonNull(sequenceNumber));
    }

    public static StartingPosition of(Type type, String sequenceNumber) {
        switch (type) {
            case TRIM_HORIZON:
                return TRIM_HORIZON;
            case LATEST:
                return LATEST;
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

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof StartingPosition)) {
            return false;
        }
        StartingPosition that = (StartingPosition) o;
        return type == that.type && Objects.equals(sequenceNumber, that.sequenceNumber);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, sequenceNumber);
    }

    @Override
    public String toString() {
        return sequenceNumber == null ? type.name() : type + "(" + sequenceNumber + ")";
    }
}
