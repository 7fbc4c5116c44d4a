package dev.searchsync.model;

import java.util.Objects;

/**
 * Something that could not be indexed, with why: the record it came from (when the failure happened where the
 * record still was), the action the job attempted (when it got that far), where it came from, and the failure.
 * What {@link Failures#TAG} and the sink's rejection handler carry to the dead letters.
 */
public class FailedChange {
    private Origin origin;
    private RawRecord record;
    private DocumentAction action;
    private Failure failure;

    public FailedChange() {}

    /** A record that failed before it became an action (DECODE, CONVERT) or with it (VALIDATE). */
    public static FailedChange of(Origin origin, RawRecord record, DocumentAction action, Failure failure) {
        FailedChange out = new FailedChange();
        out.origin = origin;
        out.record = record;
        out.action = action;
        out.failure = Objects.requireNonNull(failure, "failure");
        return out;
    }

    /** An action OpenSearch refused: the record itself stayed behind the {@code keyBy}. */
    public static FailedChange rejected(DocumentAction action, Failure failure) {
        return of(action.getOrigin(), null, action, failure);
    }

    public Origin getOrigin() {
        return origin;
    }

    public void setOrigin(Origin origin) {
        this.origin = origin;
    }

    /** The record as the input read it; null for an action refused by OpenSearch. */
    public RawRecord getRecord() {
        return record;
    }

    public void setRecord(RawRecord record) {
        this.record = record;
    }

    /** The action the job built, or null when it failed before there was one. */
    public DocumentAction getAction() {
        return action;
    }

    public void setAction(DocumentAction action) {
        this.action = action;
    }

    public Failure getFailure() {
        return failure;
    }

    public void setFailure(Failure failure) {
        this.failure = failure;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FailedChange)) {
            return false;
        }
        FailedChange that = (FailedChange) o;
        return Objects.equals(origin, that.origin) && Objects.equals(record, that.record)
                && Objects.equals(action, that.action) && Objects.equals(failure, that.failure);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, failure);
    }

    @Override
    public String toString() {
        return "FailedChange{" + failure + " " + (action != null ? action : origin) + '}';
    }
}
