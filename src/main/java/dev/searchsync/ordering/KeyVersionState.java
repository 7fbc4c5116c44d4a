package dev.searchsync.ordering;

/**
 * What the job remembers per document between changes: enough to refuse a duplicate or an older change and to
 * give the next change a higher version. A POJO so RocksDB stores it compactly without Kryo; fields are only ever
 * added, so Flink's POJO serializer restores state written by an earlier version (new fields start null or 0).
 */
public class KeyVersionState {
    /** The external version of the last change sent to OpenSearch: the highest this document has had. */
    public long version;
    /**
     * Whether {@link #version} was stated by the change itself (a loaded item's snapshot version, an event's own
     * version) rather than derived from the stream. Stream changes then version from their creation time alone: a
     * change older than the load must stay below the load's version, whatever the stream's versions were before
     * (they were all below it, or the loaded item would not be on top).
     */
    public boolean stated;
    /** Whether that change was a delete: a later write is then a re-insert, or a stale write to refuse. */
    public boolean deleted;
    /** Sequence number and shard of the last change applied (sequence numbers only compare within a shard). */
    public String sequenceNumber;
    public String shardId;
    /**
     * The event's index within the record at {@link #sequenceNumber} (one Kinesis record can hold many events, all
     * at its sequence number); 0 for inputs with one event per record, and in state written before this field.
     */
    public int subSequence;
    /** Approximate creation time of the last change applied, epoch milliseconds. */
    public long createdAt;
    /** When this state may be forgotten (processing time, epoch milliseconds). */
    public long expiresAt;
    /**
     * Shards known to come before {@link #shardId} in this document's lineage, as the stream named them (the parent
     * shard of each change applied), most recent first, separated by spaces, at most
     * {@link EarlierShards#MAX}; null when none is known, as in state written before this field existed. A change
     * from one of them is older than the last change applied, whatever its creation time says.
     */
    public String earlierShards;

    public KeyVersionState() {}

    /** The version the next stream change's version follows: the last one's, unless a stated one is on top. */
    long lastStreamVersion() {
        return stated ? 0 : version;
    }
}
