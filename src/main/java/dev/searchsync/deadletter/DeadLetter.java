package dev.searchsync.deadletter;

import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;

import java.util.Objects;

/**
 * One dead letter: a {@link FailedChange} (the failure, where it came from, the raw record, the attempted action)
 * with the job that wrote it and the attempt it failed at. Its fields are the model's own objects, laid out as the
 * envelope ({@link DeadLetterJson}) writes them. A POJO, so it crosses operators without Kryo.
 */
public class DeadLetter {
    private String schema;
    private int attempt;
    private Failure error;
    private JobInfo job;
    private Origin origin;
    private RawRecord record;
    private DocumentAction action;

    public DeadLetter() {}

    /**
     * The letter for {@code failed}, written by {@code job}: attempt 1 for a first failure, one more than the attempts
     * a redriven change had already failed.
     */
    public static DeadLetter of(FailedChange failed, JobInfo job) {
        DeadLetter letter = new DeadLetter();
        letter.schema = DeadLetterJson.SCHEMA;
        letter.error = failed.getFailure();
        letter.origin = failed.getOrigin();
        letter.record = failed.getRecord();
        letter.action = failed.getAction();
        letter.job = job;
        letter.attempt = (failed.getOrigin() == null ? 0 : failed.getOrigin().getRedriveAttempt()) + 1;
        return letter;
    }

    /** What failed, without the job's stamp. */
    public FailedChange toFailedChange() {
        return FailedChange.of(origin, record, action, error);
    }

    /** The envelope's name and version, e.g. {@code searchsync.dead-letter/2}. */
    public String getSchema() {
        return schema;
    }

    public void setSchema(String schema) {
        this.schema = schema;
    }

    /** 1 for a first failure; each redrive that fails again adds one. */
    public int getAttempt() {
        return attempt;
    }

    public void setAttempt(int attempt) {
        this.attempt = attempt;
    }

    public Failure getError() {
        return error;
    }

    public void setError(Failure error) {
        this.error = error;
    }

    public JobInfo getJob() {
        return job;
    }

    public void setJob(JobInfo job) {
        this.job = job;
    }

    /** Where the failed change came from; null for a line of the redrive folder that could not be read. */
    public Origin getOrigin() {
        return origin;
    }

    public void setOrigin(Origin origin) {
        this.origin = origin;
    }

    /** The record as its input read it; null for an action OpenSearch refused (the record stayed behind the keyBy). */
    public RawRecord getRecord() {
        return record;
    }

    public void setRecord(RawRecord record) {
        this.record = record;
    }

    /** The action the job attempted; null when it failed before there was one. */
    public DocumentAction getAction() {
        return action;
    }

    public void setAction(DocumentAction action) {
        this.action = action;
    }

    /** The stage it failed at (not a bean property: the envelope has it under {@code error}). */
    public FailureStage stage() {
        return error == null ? null : error.getStage();
    }

    /** When it failed, epoch milliseconds (under {@code error} in the envelope). */
    public long failedAt() {
        return error == null ? 0 : error.getFailedAt();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter that = (DeadLetter) o;
        return attempt == that.attempt && Objects.equals(schema, that.schema) && Objects.equals(error, that.error)
                && Objects.equals(job, that.job) && Objects.equals(origin, that.origin)
                && Objects.equals(record, that.record) && Objects.equals(action, that.action);
    }

    @Override
    public int hashCode() {
        return Objects.hash(error, origin, attempt);
    }

    @Override
    public String toString() {
        return "DeadLetter{" + error + ", attempt " + attempt + ", " + (action != null ? action : origin) + '}';
    }
}
