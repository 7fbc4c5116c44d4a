package dev.searchsync.deadletter;

import dev.searchsync.change.ChangeRecord;
import dev.searchsync.change.ChangeType;
import dev.searchsync.document.DocumentChange;
import dev.searchsync.failure.FailedChange;
import dev.searchsync.failure.FailureStage;

import java.util.Objects;

/**
 * A change that could not be indexed, with everything needed to understand and redrive it: the original change
 * whole, the document and version the job tried to write, where and why it failed, how often, and in which job.
 * A Flink POJO (serialized without Kryo); {@link DeadLetterJson} is its stored, documented form.
 */
public class DeadLetter {
    /** The envelope version this class describes; {@link DeadLetterJson#SCHEMA} names it. */
    public static final int CURRENT_SCHEMA_VERSION = 1;

    private int schemaVersion = CURRENT_SCHEMA_VERSION;

    private String table;
    private String eventId;
    private ChangeType eventName;
    private String keys;
    private String newImage;
    private String oldImage;
    private String sequenceNumber;
    private String shardId;
    private String parentShardId;
    private long approximateCreationTime;
    private boolean ttlDelete;

    private String index;
    private String documentId;
    private boolean delete;
    private String document;
    private long version;

    private FailureStage stage;
    private String errorType;
    private String errorReason;
    private int status;
    private int attempt = 1;

    private String jobName;
    private String jobId;
    private int subtask;
    private long failedAt;

    private String unreadableLine;

    public DeadLetter() {}

    /** A change that failed before the sink (decode, convert, validate), as the failure side output carries it. */
    public static DeadLetter from(FailedChange failed, JobInfo job) {
        if (failed.getDocument() != null) {
            return fromDocument(failed.getDocument(), failed.getStage(), failed.getErrorType(),
                    failed.getErrorReason(), 0, job, failed.getFailedAt());
        }
        DeadLetter letter = new DeadLetter();
        letter.setChange(failed.getChange());
        letter.stage = failed.getStage();
        letter.errorType = failed.getErrorType();
        letter.errorReason = failed.getErrorReason();
        letter.failedAt = failed.getFailedAt();
        letter.unreadableLine = failed.getUnreadableLine();
        letter.setJob(job);
        return letter;
    }

    /**
     * An action OpenSearch rejected (stage {@link FailureStage#INDEX}), failed now.
     *
     * @param status the item's HTTP status, e.g. 400
     * @param type OpenSearch's error type, e.g. {@code mapper_parsing_exception}
     * @param reason OpenSearch's reason
     * @param change the action as the job tried it, with the document as it is meant to be indexed (numbers
     *     exact, not in the sink's protected form)
     */
    public static DeadLetter fromRejected(DocumentChange change, int status, String type, String reason, JobInfo job) {
        return fromRejected(change, status, type, reason, job, System.currentTimeMillis());
    }

    /** Like {@link #fromRejected(DocumentChange, int, String, String, JobInfo)}, failed at {@code failedAt}. */
    public static DeadLetter fromRejected(DocumentChange change, int status, String type, String reason, JobInfo job,
            long failedAt) {
        return fromDocument(change, FailureStage.INDEX, type, reason, status, job, failedAt);
    }

    /**
     * A document that failed at {@code stage} (for a stage that already has the document, such as validation).
     *
     * @param status an HTTP status, 0 when the failure did not come from OpenSearch
     */
    public static DeadLetter fromDocument(DocumentChange change, FailureStage stage, String errorType,
            String errorReason, int status, JobInfo job, long failedAt) {
        DeadLetter letter = new DeadLetter();
        letter.setChange(change.getChange());
        letter.index = change.getIndex();
        letter.documentId = change.getDocumentId();
        letter.delete = change.isDelete();
        letter.document = change.getDocument();
        letter.version = change.getVersion();
        letter.stage = Objects.requireNonNull(stage);
        letter.errorType = errorType;
        letter.errorReason = errorReason;
        letter.status = status;
        letter.failedAt = failedAt;
        letter.setJob(job);
        return letter;
    }

    /**
     * Counts the failures before this one: a change that was itself redriven from a dead letter with attempt
     * {@code n} fails again as attempt {@code n + 1}. Returns this letter.
     */
    public DeadLetter afterAttempts(int previousAttempts) {
        if (previousAttempts < 0) {
            throw new IllegalArgumentException("previous attempts must not be negative, got " + previousAttempts);
        }
        this.attempt = previousAttempts + 1;
        return this;
    }

    /** The original change, rebuilt from this letter's fields (for redrive). */
    public ChangeRecord toChange() {
        ChangeRecord change = new ChangeRecord();
        change.setTableName(table);
        change.setEventId(eventId);
        change.setEventName(eventName);
        change.setKeys(keys);
        change.setNewImage(newImage);
        change.setOldImage(oldImage);
        change.setSequenceNumber(sequenceNumber);
        change.setShardId(shardId);
        change.setParentShardId(parentShardId);
        change.setApproximateCreationTime(approximateCreationTime);
        change.setTtlDelete(ttlDelete);
        return change;
    }

    private void setChange(ChangeRecord change) {
        if (change == null) {
            return;
        }
        table = change.getTableName();
        eventId = change.getEventId();
        eventName = change.getEventName();
        keys = change.getKeys();
        newImage = change.getNewImage();
        oldImage = change.getOldImage();
        sequenceNumber = change.getSequenceNumber();
        shardId = change.getShardId();
        parentShardId = change.getParentShardId();
        approximateCreationTime = change.getApproximateCreationTime();
        ttlDelete = change.isTtlDelete();
        // A change sent back from a dead letter that fails again counts one attempt more.
        attempt = change.getRedriveAttempt() + 1;
    }

    private void setJob(JobInfo job) {
        jobName = job.jobName();
        jobId = job.jobId();
        subtask = job.subtask();
    }

    /** The version of the envelope this letter was read from or will be written as. */
    public int getSchemaVersion() {
        return schemaVersion;
    }

    public void setSchemaVersion(int schemaVersion) {
        this.schemaVersion = schemaVersion;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

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

    /** The item after the change in DynamoDB JSON, or null. */
    public String getNewImage() {
        return newImage;
    }

    public void setNewImage(String newImage) {
        this.newImage = newImage;
    }

    /** The item before the change in DynamoDB JSON, or null. */
    public String getOldImage() {
        return oldImage;
    }

    public void setOldImage(String oldImage) {
        this.oldImage = oldImage;
    }

    public String getSequenceNumber() {
        return sequenceNumber;
    }

    public void setSequenceNumber(String sequenceNumber) {
        this.sequenceNumber = sequenceNumber;
    }

    public String getShardId() {
        return shardId;
    }

    public void setShardId(String shardId) {
        this.shardId = shardId;
    }

    /** The parent of the change's shard; null for a shard without one, or a letter written before it was kept. */
    public String getParentShardId() {
        return parentShardId;
    }

    public void setParentShardId(String parentShardId) {
        this.parentShardId = parentShardId;
    }

    /** Epoch milliseconds. */
    public long getApproximateCreationTime() {
        return approximateCreationTime;
    }

    public void setApproximateCreationTime(long approximateCreationTime) {
        this.approximateCreationTime = approximateCreationTime;
    }

    public boolean isTtlDelete() {
        return ttlDelete;
    }

    public void setTtlDelete(boolean ttlDelete) {
        this.ttlDelete = ttlDelete;
    }

    /** The OpenSearch index the job tried to write to; null before conversion. */
    public String getIndex() {
        return index;
    }

    public void setIndex(String index) {
        this.index = index;
    }

    /** The OpenSearch _id the job tried to write; null before conversion. */
    public String getDocumentId() {
        return documentId;
    }

    public void setDocumentId(String documentId) {
        this.documentId = documentId;
    }

    /** True when the action tried was a delete. */
    public boolean isDelete() {
        return delete;
    }

    public void setDelete(boolean delete) {
        this.delete = delete;
    }

    /** The JSON document the job tried to index; null for a delete or before conversion. */
    public String getDocument() {
        return document;
    }

    public void setDocument(String document) {
        this.document = document;
    }

    /** The external version the job tried to write with; 0 when none was assigned yet. */
    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    public FailureStage getStage() {
        return stage;
    }

    public void setStage(FailureStage stage) {
        this.stage = stage;
    }

    /** The exception class, or OpenSearch's error type for a rejection. */
    public String getErrorType() {
        return errorType;
    }

    public void setErrorType(String errorType) {
        this.errorType = errorType;
    }

    public String getErrorReason() {
        return errorReason;
    }

    public void setErrorReason(String errorReason) {
        this.errorReason = errorReason;
    }

    /** OpenSearch's HTTP status for the action; 0 when the failure did not come from OpenSearch. */
    public int getStatus() {
        return status;
    }

    public void setStatus(int status) {
        this.status = status;
    }

    /** 1 for a change's first failure; one more for each redrive that failed again. */
    public int getAttempt() {
        return attempt;
    }

    public void setAttempt(int attempt) {
        this.attempt = attempt;
    }

    public String getJobName() {
        return jobName;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    public String getJobId() {
        return jobId;
    }

    public void setJobId(String jobId) {
        this.jobId = jobId;
    }

    /** The parallel instance (from 0) of the operator that saw the failure. */
    public int getSubtask() {
        return subtask;
    }

    public void setSubtask(int subtask) {
        this.subtask = subtask;
    }

    /** When the change failed, epoch milliseconds; also what the letter's dt=/hour= folder is made of. */
    public long getFailedAt() {
        return failedAt;
    }

    public void setFailedAt(long failedAt) {
        this.failedAt = failedAt;
    }

    /** A line of the redrive folder that could not be redriven, as it was (stage REDRIVE); null otherwise. */
    public String getUnreadableLine() {
        return unreadableLine;
    }

    public void setUnreadableLine(String unreadableLine) {
        this.unreadableLine = unreadableLine;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter that = (DeadLetter) o;
        return schemaVersion == that.schemaVersion && approximateCreationTime == that.approximateCreationTime
                && ttlDelete == that.ttlDelete && delete == that.delete && version == that.version
                && status == that.status && attempt == that.attempt && subtask == that.subtask
                && failedAt == that.failedAt && Objects.equals(table, that.table)
                && Objects.equals(eventId, that.eventId) && eventName == that.eventName
                && Objects.equals(keys, that.keys) && Objects.equals(newImage, that.newImage)
                && Objects.equals(oldImage, that.oldImage) && Objects.equals(sequenceNumber, that.sequenceNumber)
                && Objects.equals(shardId, that.shardId) && Objects.equals(parentShardId, that.parentShardId)
                && Objects.equals(index, that.index)
                && Objects.equals(documentId, that.documentId) && Objects.equals(document, that.document)
                && stage == that.stage && Objects.equals(errorType, that.errorType)
                && Objects.equals(errorReason, that.errorReason) && Objects.equals(jobName, that.jobName)
                && Objects.equals(jobId, that.jobId) && Objects.equals(unreadableLine, that.unreadableLine);
    }

    @Override
    public int hashCode() {
        return Objects.hash(table, eventId, sequenceNumber, stage, failedAt, attempt);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + stage + " " + errorType + (status == 0 ? "" : " " + status) + ": " + errorReason
                + ", " + table + " " + eventName + " " + keys + " seq=" + sequenceNumber + " shard=" + shardId
                + (index == null ? "" : ", " + index + "/" + documentId + " v" + version) + ", attempt " + attempt
                + '}';
    }
}
