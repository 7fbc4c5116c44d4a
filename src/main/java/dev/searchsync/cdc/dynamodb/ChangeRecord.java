package dev.searchsync.cdc.dynamodb;

import org.apache.flink.api.common.typeinfo.TypeInfo;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.Objects;

/**
 * One change of one item, as the source emits it. Keys and images stay in the form they came in (the SDK's maps
 * from the stream, DynamoDB JSON text <code>{"attr": {"S": "x"}}</code> from a dead letter) until a form is asked
 * for: the document is built from the maps, and the text, which loses no type, is written only for a dead letter
 * or an operator edge ({@link ChangeRecordSerializer}, not Kryo).
 */
@TypeInfo(ChangeRecordTypeInfo.Factory.class)
public class ChangeRecord {
    private String tableName;
    private String eventId;
    private ChangeType eventName;
    private ItemImage keys;
    private ItemImage newImage;
    private ItemImage oldImage;
    private String sequenceNumber;
    private long approximateCreationTime;
    private String shardId;
    private String parentShardId;
    private boolean ttlDelete;
    private String decodeError;
    private int redriveAttempt;
    private long loadVersion;

    public ChangeRecord() {}

    /**
     * A copy sharing this record's images, which nobody changes after they are set: what Flink's chained operators
     * receive, at no cost per image.
     */
    ChangeRecord copy() {
        ChangeRecord out = new ChangeRecord();
        out.tableName = tableName;
        out.eventId = eventId;
        out.eventName = eventName;
        out.keys = keys;
        out.newImage = newImage;
        out.oldImage = oldImage;
        out.sequenceNumber = sequenceNumber;
        out.approximateCreationTime = approximateCreationTime;
        out.shardId = shardId;
        out.parentShardId = parentShardId;
        out.ttlDelete = ttlDelete;
        out.decodeError = decodeError;
        out.redriveAttempt = redriveAttempt;
        out.loadVersion = loadVersion;
        return out;
    }

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

    /** The item's key attributes in DynamoDB JSON (written now if they came as a map). */
    public String getKeys() {
        return keys == null ? null : keys.json();
    }

    public void setKeys(String keys) {
        this.keys = ItemImage.ofJson(keys);
    }

    /**
     * The item's key attributes as the SDK's map (read now if they came as text).
     *
     * @throws IllegalArgumentException when they came as text that is not DynamoDB JSON
     */
    public Map<String, AttributeValue> keyItem() {
        return keys == null ? null : keys.item();
    }

    /**
     * @throws IllegalArgumentException when the map holds a value DynamoDB JSON cannot write (so no letter could)
     */
    public void setKeyItem(Map<String, AttributeValue> keys) {
        this.keys = ItemImage.ofItem(keys);
    }

    /** The item after the change in DynamoDB JSON, or null (REMOVE, or a stream view without it). */
    public String getNewImage() {
        return newImage == null ? null : newImage.json();
    }

    public void setNewImage(String newImage) {
        this.newImage = ItemImage.ofJson(newImage);
    }

    /** {@link #getNewImage()} as the SDK's map; like {@link #keyItem()}. */
    public Map<String, AttributeValue> newItem() {
        return newImage == null ? null : newImage.item();
    }

    /** Like {@link #setKeyItem}. */
    public void setNewItem(Map<String, AttributeValue> newImage) {
        this.newImage = ItemImage.ofItem(newImage);
    }

    /** The item before the change in DynamoDB JSON, or null (INSERT, or a stream view without it). */
    public String getOldImage() {
        return oldImage == null ? null : oldImage.json();
    }

    public void setOldImage(String oldImage) {
        this.oldImage = ItemImage.ofJson(oldImage);
    }

    /** Like {@link #setKeyItem}: only a dead letter writes it out. */
    public void setOldItem(Map<String, AttributeValue> oldImage) {
        this.oldImage = ItemImage.ofItem(oldImage);
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
        return Objects.hash(tableName, eventId, eventName, sequenceNumber, shardId);
    }

    @Override
    public String toString() {
        return "ChangeRecord{" + tableName + ' ' + eventName + ' ' + keys + " seq=" + sequenceNumber + " shard="
                + shardId + (loadVersion > 0 ? " load v" + loadVersion : "") + (ttlDelete ? " ttl" : "") + (redriveAttempt > 0 ? " redrive#" + redriveAttempt : "") + '}';
    }
}
