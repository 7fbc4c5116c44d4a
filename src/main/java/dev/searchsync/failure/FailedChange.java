package dev.searchsync.failure;

import dev.searchsync.change.ChangeRecord;

/** A change that could not be indexed, with why: what the failure side output carries. */
public class FailedChange {
    private ChangeRecord change;
    private FailureStage stage;
    private String errorType;
    private String errorReason;
    private long failedAt;

    public FailedChange() {}

    public static FailedChange of(ChangeRecord change, FailureStage stage, Throwable error, long failedAt) {
        FailedChange out = new FailedChange();
        out.change = change;
        out.stage = stage;
        out.errorType = error.getClass().getName();
        out.errorReason = String.valueOf(error.getMessage());
        out.failedAt = failedAt;
        return out;
    }

    public ChangeRecord getChange() {
        return change;
    }

    public void setChange(ChangeRecord change) {
        this.change = change;
    }

    public FailureStage getStage() {
        return stage;
    }

    public void setStage(FailureStage stage) {
        this.stage = stage;
    }

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

    /** Epoch milliseconds. */
    public long getFailedAt() {
        return failedAt;
    }

    public void setFailedAt(long failedAt) {
        this.failedAt = failedAt;
    }

    @Override
    public String toString() {
        return "FailedChange{" + stage + " " + errorType + ": " + errorReason + " " + change + '}';
    }
}
