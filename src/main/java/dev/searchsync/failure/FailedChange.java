package dev.searchsync.failure;

import dev.searchsync.change.ChangeRecord;
import dev.searchsync.document.DocumentChange;

/** A change that could not be indexed, with why: what the failure side output carries. */
public class FailedChange {
    private ChangeRecord change;
    private DocumentChange document;
    private FailureStage stage;
    private String errorType;
    private String errorReason;
    private long failedAt;
    private String unreadableLine;

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

    /** A failure of a document the job already built (VALIDATE): the document too, with the change in it. */
    public static FailedChange of(DocumentChange document, FailureStage stage, String errorType, String errorReason,
            long failedAt) {
        FailedChange out = new FailedChange();
        out.change = document.getChange();
        out.document = document;
        out.stage = stage;
        out.errorType = errorType;
        out.errorReason = errorReason;
        out.failedAt = failedAt;
        return out;
    }

    /**
     * A line of the redrive folder that cannot be redriven (stage {@link FailureStage#REDRIVE}): there is no change
     * to keep, so the line itself is kept, as it was.
     */
    public static FailedChange unreadable(String line, Throwable error, long failedAt) {
        FailedChange out = new FailedChange();
        out.unreadableLine = line;
        out.stage = FailureStage.REDRIVE;
        out.errorType = error.getClass().getName();
        out.errorReason = String.valueOf(error.getMessage());
        out.failedAt = failedAt;
        return out;
    }

    /** The document the job built, or null when it failed before there was one. */
    public DocumentChange getDocument() {
        return document;
    }

    public void setDocument(DocumentChange document) {
        this.document = document;
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

    /** The line of the redrive folder that could not be redriven, as it was; null for every other failure. */
    public String getUnreadableLine() {
        return unreadableLine;
    }

    public void setUnreadableLine(String unreadableLine) {
        this.unreadableLine = unreadableLine;
    }

    @Override
    public String toString() {
        return "FailedChange{" + stage + " " + errorType + ": " + errorReason + " "
                + (unreadableLine == null ? change : "line " + unreadableLine) + '}';
    }
}
