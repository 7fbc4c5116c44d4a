package dev.searchsync.ordering;

import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.Origin;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The per-document gate in front of OpenSearch. For each document id it drops exact duplicates and changes older
 * than the last one applied (within a shard by sequence number; across shards by the order the source delivers
 * them in, and for redriven changes by the shard lineage it has learned, see {@link #judge}), and gives every
 * change it lets through an external version
 * {@code max(last version + 1, approximate creation time in microseconds)}: the same on every replay from a
 * checkpoint (the state is restored with the stream position), and still increasing when state was lost (time
 * moves on). A change that states its own version (an initial load's item, at the load's version; an event with a
 * version field) is placed by that version alone, and a stream change must then be newer than it: a loaded item
 * drops every stream change made before the load, and loses to every one made from the load's start on,
 * whatever order they arrive in (docs/architecture.md, "The initial load"). It remembers deletes for
 * {@code stateTtlMillis}, longer than the stream keeps records, so a stale
 * write after a delete is refused here instead of relying on OpenSearch's 60-second {@code gc_deletes}. Expiry is
 * a processing-time timer, not {@code StateTtlConfig}: it is exact (a key is forgotten at a known time, deletes
 * included), visible to tests as a timer, and the same on every state backend. It emits a copy with the version
 * set and never changes the element it received, so it is safe with object reuse on.
 */
public class OrderAndVersion extends KeyedProcessFunction<String, DocumentAction, DocumentAction> {
    private static final long serialVersionUID = 1L;
    /** Expiry timers are rounded up to this, so a busy key re-registers its timer at most once a minute. */
    static final long TIMER_GRANULARITY_MILLIS = 60_000;

    private final long stateTtlMillis;
    private transient ValueState<KeyVersionState> state;
    private transient Counter applied;
    private transient Counter duplicates;
    private transient Counter stale;
    private transient Counter redriven;
    private transient Counter redriveStale;
    private transient Counter snapshotsApplied;
    private transient Counter snapshotsSuperseded;
    private transient volatile long lagMillis;

    public OrderAndVersion(long stateTtlMillis) {
        this.stateTtlMillis = stateTtlMillis;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(
                new ValueStateDescriptor<>("key-version", TypeInformation.of(KeyVersionState.class)));
        applied = getRuntimeContext().getMetricGroup().counter("changesApplied");
        duplicates = getRuntimeContext().getMetricGroup().counter("duplicatesDropped");
        stale = getRuntimeContext().getMetricGroup().counter("staleDropped");
        redriven = getRuntimeContext().getMetricGroup().counter("redriven");
        redriveStale = getRuntimeContext().getMetricGroup().counter("redriveSkippedStale");
        snapshotsApplied = getRuntimeContext().getMetricGroup().counter("snapshotsApplied");
        snapshotsSuperseded = getRuntimeContext().getMetricGroup().counter("snapshotsSuperseded");
        getRuntimeContext().getMetricGroup().gauge("lagMillis", () -> lagMillis);
    }

    @Override
    public void processElement(DocumentAction action, Context ctx, Collector<DocumentAction> out) throws Exception {
        Origin origin = action.getOrigin();
        long now = ctx.timerService().currentProcessingTime();
        lagMillis = Math.max(0, now - origin.getEventTime());
        KeyVersionState last = state.value();
        boolean redrive = origin.isRedrive();
        boolean stated = action.getEventVersion() > 0;
        long version = stated ? action.getEventVersion()
                : Math.max(last == null ? 1 : last.lastStreamVersion() + 1, origin.getEventTime() * 1_000);
        if (last != null) {
            Verdict verdict = stated ? byEventVersion(version, last) : judge(origin, last, redrive);
            if (!stated && verdict != Verdict.STALE && version <= last.version) {
                // A stated version (a loaded item's) is on top, and this change is no newer than the snapshot it
                // came from: the document already holds this change, or a later state.
                verdict = Verdict.STALE;
            }
            if (redrive && verdict == Verdict.DUPLICATE) {
                // It is the last change applied to this document (it reached OpenSearch and was refused there):
                // nothing newer happened since, so it goes again with the version it had.
                redriven.inc();
                out.collect(action.withVersion(last.version));
                return;
            }
            if (redrive && verdict == Verdict.STALE) {
                redriveStale.inc();
                return;
            }
            if (verdict == Verdict.DUPLICATE) {
                duplicates.inc();
                return;
            }
            if (verdict == Verdict.STALE) {
                (origin.isSnapshot() ? snapshotsSuperseded : stale).inc();
                return;
            }
        }
        KeyVersionState next = last == null ? new KeyVersionState() : last;
        next.version = version;
        next.stated = stated;
        next.deleted = action.isDelete();
        if (!stated) {
            // A stated change leaves the last stream change's position: the next stream change is judged against it.
            next.sequenceNumber = origin.getSequence();
            next.subSequence = origin.getSubSequence();
            next.shardId = origin.getShard();
            next.createdAt = origin.getEventTime();
            next.earlierShards = EarlierShards.with(next.earlierShards, origin.getParentShard());
        }
        long expiresAt = roundUp(now + stateTtlMillis);
        if (expiresAt != next.expiresAt) {
            if (last != null) {
                ctx.timerService().deleteProcessingTimeTimer(last.expiresAt);
            }
            ctx.timerService().registerProcessingTimeTimer(expiresAt);
            next.expiresAt = expiresAt;
        }
        state.update(next);
        applied.inc();
        if (origin.isSnapshot()) {
            snapshotsApplied.inc();
        }
        if (redrive) {
            redriven.inc();
        }
        out.collect(action.withVersion(version));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DocumentAction> out) throws Exception {
        KeyVersionState last = state.value();
        if (last != null && timestamp >= last.expiresAt) {
            // Older than the stream keeps: nothing that could still arrive is older than what OpenSearch holds.
            state.clear();
        }
    }

    /**
     * Whether a change may follow the last one applied to its document (docs/architecture.md, "Across shards and
     * redrives"). Within a shard, sequence numbers decide, then the event's index within its record. Across shards
     * DynamoDB defines no order of sequence numbers, and creation times are approximate (a child's first change can
     * carry an earlier second than its parent's last), so neither decides alone:
     *
     * <ol>
     *   <li>A change from a shard the document's lineage has moved on from ({@link KeyVersionState#earlierShards})
     *       is older.
     *   <li>A change read from the stream is newer: the source reads a child only after its parent, on the same
     *       subtask, so the stream delivers a document's changes in lineage order whatever their times.
     *   <li>A redriven change comes from another path and is placed by lineage: newer when its shard is a child of
     *       the last change's, older when its shard is a child of an earlier shard (so it lies between that and the
     *       last change's). Otherwise only creation times are left: newer when from a later second, and skipped
     *       (as older) when from the same or an earlier one, because within one second they cannot tell.
     * </ol>
     */
    static Verdict judge(Origin origin, KeyVersionState last, boolean redrive) {
        String shard = origin.getShard();
        if (shard != null && shard.equals(last.shardId)) {
            int order = SequenceNumbers.compare(origin.getSequence(), last.sequenceNumber);
            if (order == 0) {
                order = Integer.compare(origin.getSubSequence(), last.subSequence);
            }
            return order == 0 ? Verdict.DUPLICATE : order < 0 ? Verdict.STALE : Verdict.NEWER;
        }
        if (EarlierShards.contains(last.earlierShards, shard)) {
            return Verdict.STALE;
        }
        if (!redrive) {
            return Verdict.NEWER;
        }
        String parent = origin.getParentShard();
        if (parent != null && parent.equals(last.shardId)) {
            return Verdict.NEWER;
        }
        if (EarlierShards.contains(last.earlierShards, parent)) {
            return Verdict.STALE;
        }
        return second(origin.getEventTime()) > second(last.createdAt) ? Verdict.NEWER : Verdict.STALE;
    }

    /**
     * An event that states its own version (see {@link DocumentAction#getEventVersion()}) is placed by it alone:
     * the producer's word is better than any order the job can infer, and a replay states the same version again.
     */
    static Verdict byEventVersion(long eventVersion, KeyVersionState last) {
        return eventVersion == last.version ? Verdict.DUPLICATE
                : eventVersion < last.version ? Verdict.STALE : Verdict.NEWER;
    }

    /** DynamoDB gives creation times in whole seconds; compare at that granularity whatever the source gave. */
    private static long second(long epochMillis) {
        return Math.floorDiv(epochMillis, 1_000L);
    }

    private static long roundUp(long millis) {
        return (millis / TIMER_GRANULARITY_MILLIS + 1) * TIMER_GRANULARITY_MILLIS;
    }

    /** How a change relates to the last one applied to its document. */
    enum Verdict {
        NEWER,
        DUPLICATE,
        STALE
    }
}
