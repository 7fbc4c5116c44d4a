package dev.searchsync.model;

import java.util.Objects;

/** Why something could not go further: the stage, the error's type and reason, and for OpenSearch its status. */
public class Failure {
    private FailureStage stage;
    private String type;
    private String reason;
    private int status;
    private long failedAt;

    public Failure() {}

    /** A failure of {@code stage}, typed by the exception's class and with its message as the reason. */
    public static Failure of(FailureStage stage, Throwable error, long failedAt) {
        return of(stage, error.getClass().getName(), String.valueOf(error.getMessage()), 0, failedAt);
    }

    /** @param status OpenSearch's HTTP status for {@link FailureStage#INDEX}, 0 for any other stage */
    public static Failure of(FailureStage stage, String type, String reason, int status, long failedAt) {
        Failure out = new Failure();
        out.stage = Objects.requireNonNull(stage, "stage");
        out.type = type;
        out.reason = reason;
        out.status = status;
        out.failedAt = failedAt;
        return out;
    }

    public FailureStage getStage() {
        return stage;
    }

    public void setStage(FailureStage stage) {
        this.stage = stage;
    }

    /** The exception's class, or OpenSearch's error type ({@code mapper_parsing_exception}) at the INDEX stage. */
    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    /** OpenSearch's HTTP status of the refused action; 0 before the sink. */
    public int getStatus() {
        return status;
    }

    public void setStatus(int status) {
        this.status = status;
    }

    /** Epoch milliseconds. */
    public long getFailedAt() {
        return failedAt;
    }

    public void setFailedAt(long failedAt) {
        this.failedAt = failedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Failure)) {
            return false;
        }
        Failure that = (Failure) o;
        return status == that.status && failedAt == that.failedAt && stage == that.stage
                && Objects.equals(type, that.type) && Objects.equals(reason, that.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(stage, type, status, failedAt);
    }

    @Override
    public String toString() {
        return stage + " " + type + (status == 0 ? "" : " (" + status + ")") + ": " + reason;
    }
}
