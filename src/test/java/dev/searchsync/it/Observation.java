package dev.searchsync.it;

/** What a keyed operator saw of one change: the test checks order, lineage and exactly-once on these. */
public class Observation {
    public String key;
    /** The writer's per-key change counter (1, 2, 3, ... across inserts, updates and deletes). */
    public long ordinal;
    public String eventName;
    public String shardId;
    public String sequenceNumber;
    public int subtask;
    /** The checkpoint this observation was committed with (set by the sink). */
    public long checkpointId;

    public Observation() {}

    @Override
    public String toString() {
        return key + "#" + ordinal + " " + eventName + " " + shardId + "@" + subtask;
    }
}
