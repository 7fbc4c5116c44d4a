package dev.searchsync.model;

import java.util.Objects;

/**
 * Where an action or a failure came from, in terms every input can fill: the input, the shard (or partition) and
 * the position in it, the event's time and id. It is what the ordering step judges a change by and what a dead
 * letter needs to be placed again, so it travels with each action, without the record's content.
 */
public class Origin {
    private String input;
    private String kind;
    private String shard;
    private String parentShard;
    private String sequence;
    private int subSequence;
    private long eventTime;
    private String eventId;
    private int redriveAttempt;
    private boolean snapshot;

    public Origin() {}

    /** An origin in {@code shard} at {@code sequence} of the input named {@code input}, of kind {@code kind}. */
    public static Origin of(String input, String kind, String shard, String parentShard, String sequence,
            long eventTime, String eventId) {
        Origin out = new Origin();
        out.input = input;
        out.kind = kind;
        out.shard = shard;
        out.parentShard = parentShard;
        out.sequence = sequence;
        out.eventTime = eventTime;
        out.eventId = eventId;
        return out;
    }

    /**
     * The origin of an item read from the table itself (an initial load) of the input named {@code input}, read at
     * {@code readAt}: no shard, no position; its action states its own version.
     */
    public static Origin snapshot(String input, String kind, long readAt) {
        Origin out = of(input, kind, null, null, null, readAt, null);
        out.snapshot = true;
        return out;
    }

    /** A copy, marked as sent back from a dead letter after {@code attempt} failed attempts. */
    public Origin redriven(int attempt) {
        Origin out = copy();
        out.redriveAttempt = attempt;
        return out;
    }

    /** A copy at sub-position {@code subSequence} of the same record (one record can hold many events). */
    public Origin at(int subSequence) {
        Origin out = copy();
        out.subSequence = subSequence;
        return out;
    }

    private Origin copy() {
        Origin out = of(input, kind, shard, parentShard, sequence, eventTime, eventId);
        out.subSequence = subSequence;
        out.redriveAttempt = redriveAttempt;
        out.snapshot = snapshot;
        return out;
    }

    /** The name of the input, as configured. */
    public String getInput() {
        return input;
    }

    public void setInput(String input) {
        this.input = input;
    }

    /** The kind of input (its source {@code type}, e.g. {@code dynamodb-streams}), which tells how to read the raw record. */
    public String getKind() {
        return kind;
    }

    public void setKind(String kind) {
        this.kind = kind;
    }

    /** The shard (or partition) the record was read from; null where the input has none. */
    public String getShard() {
        return shard;
    }

    public void setShard(String shard) {
        this.shard = shard;
    }

    /**
     * The parent of {@link #getShard()}, as the stream names it; null for a shard without one. The ordering step
     * learns from it which shards of a document's lineage came before.
     */
    public String getParentShard() {
        return parentShard;
    }

    public void setParentShard(String parentShard) {
        this.parentShard = parentShard;
    }

    /** The record's position in its shard: the service's sequence number, decimal text. */
    public String getSequence() {
        return sequence;
    }

    public void setSequence(String sequence) {
        this.sequence = sequence;
    }

    /** The event's index within its record, from 0 (a record can hold many events). */
    public int getSubSequence() {
        return subSequence;
    }

    public void setSubSequence(int subSequence) {
        this.subSequence = subSequence;
    }

    /** When the event happened, epoch milliseconds; 0 when unknown. */
    public long getEventTime() {
        return eventTime;
    }

    public void setEventTime(long eventTime) {
        this.eventTime = eventTime;
    }

    /** The service's id of the event, for tracing and for telling duplicate dead letters apart; may be null. */
    public String getEventId() {
        return eventId;
    }

    public void setEventId(String eventId) {
        this.eventId = eventId;
    }

    /**
     * 0 for an event read from its input; for one sent back from a dead letter, the attempts it has failed so far.
     * The ordering step then re-sends it only if nothing newer happened to its document since.
     */
    public int getRedriveAttempt() {
        return redriveAttempt;
    }

    public void setRedriveAttempt(int redriveAttempt) {
        this.redriveAttempt = redriveAttempt;
    }

    public boolean isRedrive() {
        return redriveAttempt > 0;
    }

    /** Whether the change is an item read from the table itself (an initial load), not a change from a stream. */
    public boolean isSnapshot() {
        return snapshot;
    }

    public void setSnapshot(boolean snapshot) {
        this.snapshot = snapshot;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Origin)) {
            return false;
        }
        Origin that = (Origin) o;
        return subSequence == that.subSequence && eventTime == that.eventTime
                && redriveAttempt == that.redriveAttempt && snapshot == that.snapshot
                && Objects.equals(input, that.input)
                && Objects.equals(kind, that.kind) && Objects.equals(shard, that.shard)
                && Objects.equals(parentShard, that.parentShard) && Objects.equals(sequence, that.sequence)
                && Objects.equals(eventId, that.eventId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(input, shard, sequence, subSequence);
    }

    @Override
    public String toString() {
        if (snapshot) {
            return kind + " '" + input + "' snapshot read at " + eventTime
                    + (redriveAttempt > 0 ? " redrive#" + redriveAttempt : "");
        }
        return kind + " '" + input + "' shard " + shard + " seq " + sequence
                + (subSequence > 0 ? "#" + subSequence : "") + (redriveAttempt > 0 ? " redrive#" + redriveAttempt : "");
    }
}
