package dev.searchsync.opensearch;

import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.Op;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides what each answered bulk action means. Each item is paired with the action at its position: the bulk API
 * answers in request order, and retries under the REST client ({@link RetryingBulkHttpClient}) put every item back in
 * its place. What a failure means is {@link ActionFailures}' table: a version conflict (or a create of an id already
 * there) counts as done; an action OpenSearch refuses for its content goes to the {@link RejectedActionHandler},
 * which keeps it durably before this method returns and so before the bulk is acknowledged and a checkpoint can
 * complete; a fault of the index or the cluster fails the job, which restarts from its checkpoint rather than drop a
 * change.
 */
public final class BulkOutcomeInspector {
    public static final String DOCUMENTS_INDEXED = "documentsIndexed";
    public static final String DOCUMENTS_DELETED = "documentsDeleted";
    public static final String VERSION_CONFLICTS = "versionConflicts";
    /** Documents of an initial load OpenSearch took: the "documents written" of the load's reconciliation. */
    public static final String SNAPSHOTS_INDEXED = "snapshotsIndexed";

    private final Counter indexed;
    private final Counter deleted;
    private final Counter conflicts;
    private final Counter snapshotsIndexed;
    private final RejectedActionHandler rejected;

    /** @param rejected where refused actions go */
    public BulkOutcomeInspector(Counter indexed, Counter deleted, Counter conflicts, Counter snapshotsIndexed,
            RejectedActionHandler rejected) {
        this.indexed = Objects.requireNonNull(indexed);
        this.deleted = Objects.requireNonNull(deleted);
        this.conflicts = Objects.requireNonNull(conflicts);
        this.snapshotsIndexed = Objects.requireNonNull(snapshotsIndexed);
        this.rejected = Objects.requireNonNull(rejected);
    }

    /** An inspector with its counters on {@code metrics}, handing refused actions to {@code rejected}. */
    static BulkOutcomeInspector on(MetricGroup metrics, RejectedActionHandler rejected) {
        return new BulkOutcomeInspector(metrics.counter(DOCUMENTS_INDEXED), metrics.counter(DOCUMENTS_DELETED),
                metrics.counter(VERSION_CONFLICTS), metrics.counter(SNAPSHOTS_INDEXED), rejected);
    }

    /**
     * @throws RejectedDocumentsException naming index, id, version, status and error type of every action that
     *     must fail the job
     * @throws IllegalStateException when the answer does not match the request action for action
     */
    void inspect(List<DocumentAction> sent, List<BulkAnswer.Item> items) {
        if (items.size() != sent.size()) {
            throw new IllegalStateException("OpenSearch answered " + items.size() + " items to a bulk of "
                    + sent.size() + " actions; the job stops rather than guess which is which");
        }
        List<String> rejections = new ArrayList<>();
        List<FailedChange> refused = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            BulkAnswer.Item item = items.get(i);
            DocumentAction action = sent.get(i);
            if (!Objects.equals(item.id, action.getId()) || !BulkBody.opName(action.getOp()).equals(item.op)) {
                throw new IllegalStateException("Item " + i + " of a bulk answer is " + item.op + " of id '"
                        + item.id + "', its request " + BulkBody.opName(action.getOp()) + " of id '" + action.getId()
                        + "'; the job stops rather than pair an answer with the wrong change");
            }
            if (!item.failed()) {
                countSuccess(action);
                continue;
            }
            ActionFailures.Failure failure = item.failure();
            switch (ActionFailures.classify(failure)) {
                case ALREADY_NEWER:
                    conflicts.inc();
                    break;
                case DEAD_LETTER:
                    refused.add(FailedChange.rejected(action, failureOf(failure)));
                    break;
                case FAIL:
                    rejections.add(describe(action, item.index, failure));
                    break;
                default:
                    throw new IllegalStateException("unhandled outcome");
            }
        }
        if (!rejections.isEmpty()) {
            throw new RejectedDocumentsException(rejections, items.size());
        }
        if (!refused.isEmpty()) {
            // Synchronous: they are kept before the bulk counts as answered.
            rejected.onRejected(refused);
        }
    }

    /** The failure a dead letter records. */
    static Failure failureOf(ActionFailures.Failure failure) {
        return Failure.of(FailureStage.INDEX, failure.type != null ? failure.type : "unknown", failure.reason,
                failure.status, System.currentTimeMillis());
    }

    private void countSuccess(DocumentAction action) {
        if (action.getOp() == Op.DELETE) {
            deleted.inc();
        } else {
            indexed.inc();
            if (action.getOrigin() != null && action.getOrigin().isSnapshot()) {
                snapshotsIndexed.inc();
            }
        }
    }

    /**
     * A line for the job's log: index (the concrete one that answered, when known), id, version, status and error
     * type; OpenSearch's reason only where it speaks of the index or the cluster, since a reason about a document can
     * quote the document's values.
     */
    static String describe(DocumentAction action, String answeredIndex, ActionFailures.Failure failure) {
        return "index '" + (answeredIndex != null ? answeredIndex : action.getIndex()) + "', id '" + action.getId()
                + "', version " + action.getVersion()
                + ", status " + failure.status + ", "
                + (failure.type == null ? "error type unknown" : failure.type)
                + (ActionFailures.reasonIsLoggable(failure) ? ": " + failure.reason : "");
    }
}
