package dev.searchsync.source.reader;

/** A converted record on its way from the fetch thread to the emitter, with the position it stands for. */
public final class FetchedRecord<T> {
    private final T value;
    private final String sequenceNumber;
    private final long timestamp;

    public FetchedRecord(T value, String sequenceNumber, long timestamp) {
        this.value = value;
        this.sequenceNumber = sequenceNumber;
        this.timestamp = timestamp;
    }

    public T value() {
        return value;
    }

    public String sequenceNumber() {
        return sequenceNumber;
    }

    public long timestamp() {
        return timestamp;
    }
}
