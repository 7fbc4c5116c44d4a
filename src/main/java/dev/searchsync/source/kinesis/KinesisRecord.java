package dev.searchsync.source.kinesis;

import java.util.Objects;

/**
 * One Kinesis record as the source emits it: a Flink POJO (no Kryo), with where it was read and its lineage, so
 * the mapper after the source needs no SDK type. Equality and {@link #toString()} leave the data out: a record is
 * who and where it is, and logs must not carry payloads.
 */
public class KinesisRecord {
    private String stream;
    private String shardId;
    private String parentShardId;
    private String adjacentParentShardId;
    private String sequenceNumber;
    private String partitionKey;
    private long approximateArrivalMillis;
    private byte[] data;
    private int redriveAttempt;

    public KinesisRecord() {}

    /** The stream's ARN, as the source resolved it. */
    public String getStream() {
        return stream;
    }

    public void setStream(String stream) {
        this.stream = stream;
    }

    public String getShardId() {
        return shardId;
    }

    public void setShardId(String shardId) {
        this.shardId = shardId;
    }

    public String getParentShardId() {
        return parentShardId;
    }

    public void setParentShardId(String parentShardId) {
        this.parentShardId = parentShardId;
    }

    /** The second parent of a merged shard, or null. */
    public String getAdjacentParentShardId() {
        return adjacentParentShardId;
    }

    public void setAdjacentParentShardId(String adjacentParentShardId) {
        this.adjacentParentShardId = adjacentParentShardId;
    }

    /** Up to 128 bits as decimal text: compare as numbers, within one shard only. */
    public String getSequenceNumber() {
        return sequenceNumber;
    }

    public void setSequenceNumber(String sequenceNumber) {
        this.sequenceNumber = sequenceNumber;
    }

    public String getPartitionKey() {
        return partitionKey;
    }

    public void setPartitionKey(String partitionKey) {
        this.partitionKey = partitionKey;
    }

    /** When Kinesis accepted the record, in epoch milliseconds; 0 when the service gave none. */
    public long getApproximateArrivalMillis() {
        return approximateArrivalMillis;
    }

    public void setApproximateArrivalMillis(long approximateArrivalMillis) {
        this.approximateArrivalMillis = approximateArrivalMillis;
    }

    /** The payload as written (possibly KPL-aggregated or gzip-compressed: the mapper decides). */
    public byte[] getData() {
        return data;
    }

    public void setData(byte[] data) {
        this.data = data;
    }

    /** 0 when read from the stream; n for the n-th redrive of a dead letter. */
    public int getRedriveAttempt() {
        return redriveAttempt;
    }

    public void setRedriveAttempt(int redriveAttempt) {
        this.redriveAttempt = redriveAttempt;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof KinesisRecord)) {
            return false;
        }
        KinesisRecord that = (KinesisRecord) o;
        return approximateArrivalMillis == that.approximateArrivalMillis && redriveAttempt == that.redriveAttempt
                && Objects.equals(stream, that.stream) && Objects.equals(shardId, that.shardId)
                && Objects.equals(parentShardId, that.parentShardId)
                && Objects.equals(adjacentParentShardId, that.adjacentParentShardId)
                && Objects.equals(sequenceNumber, that.sequenceNumber)
                && Objects.equals(partitionKey, that.partitionKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stream, shardId, sequenceNumber, partitionKey, redriveAttempt);
    }

    @Override
    public String toString() {
        return "KinesisRecord{stream=" + stream + ", shard=" + shardId
                + (parentShardId == null ? "" : ", parent=" + parentShardId)
                + (adjacentParentShardId == null ? "" : ", adjacentParent=" + adjacentParentShardId)
                + ", sequenceNumber=" + sequenceNumber + ", partitionKey=" + partitionKey
                + ", arrival=" + approximateArrivalMillis + ", data=" + (data == null ? "null" : data.length + " bytes")
                + (redriveAttempt == 0 ? "" : ", redriveAttempt=" + redriveAttempt) + '}';
    }
}
