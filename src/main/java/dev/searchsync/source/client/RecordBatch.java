package dev.searchsync.source.client;

import java.util.List;

/** One GetRecords answer: the records, where to read next, and how far behind the tip the reader is. */
public final class RecordBatch<R> {
    private final List<R> records;
    private final String nextIterator;
    private final Long millisBehindLatest;

    public RecordBatch(List<R> records, String nextIterator, Long millisBehindLatest) {
        this.records = List.copyOf(records);
        this.nextIterator = nextIterator;
        this.millisBehindLatest = millisBehindLatest;
    }

    public List<R> records() {
        return records;
    }

    /** Null once a closed shard has been read to its end. */
    public String nextIterator() {
        return nextIterator;
    }

    public boolean shardEnded() {
        return nextIterator == null;
    }

    /** What the service says (Kinesis), or null to let the reader estimate it from record times. */
    public Long millisBehindLatest() {
        return millisBehindLatest;
    }
}
