package dev.searchsync.cdc.dynamodb;

import java.util.Objects;

/**
 * One change of one item, as the source emits it. A plain POJO so Flink serializes it without Kryo; item images
 * are kept in DynamoDB's own JSON form (<code>{"attr": {"S": "x"}}</code>) so no type information is lost
 * before conversion and a dead letter can carry the record whole.
 */
public class ChangeRecord {
    private String tableName;
    private String eventId;
    private ChangeType eventName;
    private String keys;
    private String newImage;
    private String oldImage;
    private String sequenceNumber;
    private long approximateCreationTime;
    private String shardId;
    private String parentShardId;
    private boolean ttlDelete;
    private String decodeError;
    private int redriveAttempt;
    private long loadVersion;

    public ChangeRecord() {}

    public String getTableName() {
        return tableName;
    }

    public void setTableName(String tableName) {
        this.tableName = tableName;
    }

    /** The stream's id of this change (unique per change, kept for tracing and dead letters). */
    public String getEventId() {
        return eventId;
    }

    public void setEventId(String eventId) {
        this.eventId = eventId;
    }

    public ChangeType getEventName() {
        return eventName;
    }

    public void setEventName(ChangeType eventName) {
        this.eventName = eventName;
    }

    /** The item's key attributes in DynamoDB JSON. */
    public String getKeys() {
        return keys;
    }

    public void setKeys(String keys) {
        this.keys = keys;
    }

    /** The item after the change in DynamoDB JSON, or null (REMOVE, or a stream view without it). */
    public String getNewImage() {
        return newImage;
    }

    public void setNewImage(String newImage) {
        this.newImage = newImage;
    }

    /** The item before the change in DynamoDB JSON, or null (INSERT, or a stream view without it). */
    public String getOldImage() {
        return oldImage;
    }

    public void setOldImage(String oldImage) {
        this.oldImage = oldImage;
    }

    /** The stream's sequence number, decimal text of 21 to 40 digits. */
    public String getSequenceNumber() {
        return sequenceNumber;
    }

    public void setSequenceNumber(String sequenceNumber) {
        this.sequenceNumber = sequenceNumber;
    }

    /** When the change was made, epoch milliseconds (DynamoDB gives whole seconds). */
    public long getApproximateCreationTime() {
        return approximateCreationTime;
    }

    public void setApproximateCreationTime(long approximateCreationTime) {
        this.approximateCreationTime = approximateCreationTime;
    }

    public String getShardId() {
        return shardId;
    }

    public void setShardId(String shardId) {
        this.shardId = shardId;
    }

    /**
     * The parent of {@link #getShardId()}, as the stream names it; null for a shard without one, or a change
     * redriven from a letter written before searchsync kept it. The ordering step learns from it which shards of
     * a document's lineage came before, to tell a redriven change older or newer across a shard boundary.
     */
    public String getParentShardId() {
        return parentShardId;
    }

    public void setParentShardId(String parentShardId) {
        this.parentShardId = parentShardId;
    }

    /** True for a REMOVE made by DynamoDB's time-to-live process rather than by a user. */
    public boolean isTtlDelete() {
        return ttlDelete;
    }

    public void setTtlDelete(boolean ttlDelete) {
        this.ttlDelete = ttlDelete;
    }

    /**
     * Why the stream record could not be read into this change, with the record's own text; null for a change read
     * normally. Such a change becomes a dead letter at the DECODE stage instead of stopping the source.
     */
    public String getDecodeError() {
        return decodeError;
    }

    public void setDecodeError(String decodeError) {
        this.decodeError = decodeError;
    }

    /**
     * 0 for a change read from the stream; for a change sent back from a dead letter, the attempts it has failed
     * so far. The ordering step then re-sends it only if nothing newer happened to its document since.
     */
    public int getRedriveAttempt() {
        return redriveAttempt;
    }

    public void setRedriveAttempt(int redriveAttempt) {
        this.redriveAttempt = redriveAttempt;
    }

    /**
     * 0 for a change read from the stream; for an item read by the initial load (a snapshot of it, as an INSERT),
     * the load's version, which every item of one load shares: {@code (T0 - margin)} in seconds, times 10^6, minus 1.
     */
    public long getLoadVersion() {
        return loadVersion;
    }

    public void setLoadVersion(long loadVersion) {
        this.loadVersion = loadVersion;
    }

    /** Whether this is an item read by the initial load rather than a change from the stream. */
    public boolean isLoaded() {
        return loadVersion > 0;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ChangeRecord)) {
            return false;
        }
        ChangeRecord that = (ChangeRecord) o;
        return approximateCreationTime == that.approximateCreationTime && ttlDelete == that.ttlDelete
                && Objects.equals(tableName, that.tableName) && Objects.equals(eventId, that.eventId)
                && eventName == that.eventName && Objects.equals(keys, that.keys)
                && Objects.equals(newImage, that.newImage) && Objects.equals(oldImage, that.oldImage)
                && Objects.equals(sequenceNumber, that.sequenceNumber) && Objects.equals(shardId, that.shardId)
                && Objects.equals(parentShardId, that.parentShardId) && Objects.equals(decodeError, that.decodeError)
                && redriveAttempt == that.redriveAttempt && loadVersion == that.loadVersion;
    }

    @Override
    public int hashCode() {
        return Objects.hash(tableName, eventId, eventName, keys, sequenceNumber, shardId);
    }

    @Override
    public String toString() {
        return "ChangeRecord{" + tableName + ' ' + eventName + ' ' + keys + " seq=" + sequenceNumber + " shard="
                + shardId + (loadVersion > 0 ? " load v" + loadVersion : "") + (ttlDelete ? " ttl" : "") + (redriveAttempt > 0 ? " redrive#" + redriveAttempt : "") + '}';
    }
}
