package dev.searchsync.opensearch;

import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;

import org.apache.flink.connector.opensearch.sink.BulkResponseInspector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides what each answered bulk action means, replacing the connector's default inspector, which fails the job
 * on any failed item (a version conflict included). Each item is paired with the request at its position: the bulk
 * API answers in request order, and retries under the REST client ({@link RetryingBulkHttpClient}) put every item
 * back in its place. What a failure means is {@link ActionFailures}' table: a version conflict (or a create of an
 * id already there) counts as done; an action OpenSearch refuses for its content goes to the
 * {@link RejectedActionHandler}, which keeps it durably before this method returns and so before the bulk is
 * acknowledged and a checkpoint can complete; a fault of the index or the cluster fails the job, which restarts
 * from its checkpoint rather than drop a change.
 */
public final class BulkOutcomeInspector implements BulkResponseInspector {
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

    /**
     * For {@code Opensearch2SinkBuilder#setBulkResponseInspectorFactory}: counters and a handler from
     * {@code rejected} on each sink writer's metric group.
     */
    public static BulkResponseInspectorFactory factory(RejectedActionHandler.Factory rejected) {
        return new Factory(Objects.requireNonNull(rejected));
    }

    /**
     * @throws RejectedDocumentsException naming index, id, version, status and error type of every action that
     *     must fail the job
     * @throws IllegalStateException when the answer does not match the request action for action
     */
    @Override
    public void inspect(BulkRequest request, BulkResponse response) {
        List<DocWriteRequest<?>> requests = request.requests();
        BulkItemResponse[] items = response.getItems();
        if (items.length != requests.size()) {
            throw new IllegalStateException("OpenSearch answered " + items.length + " items to a bulk of "
                    + requests.size() + " actions; the job stops rather than guess which is which");
        }
        List<String> rejections = new ArrayList<>();
        List<FailedChange> refused = new ArrayList<>();
        for (int i = 0; i < items.length; i++) {
            BulkItemResponse item = items[i];
            DocWriteRequest<?> origin = requests.get(i);
            if (!Objects.equals(item.getId(), origin.id()) || item.getOpType() != origin.opType()) {
                throw new IllegalStateException("Item " + i + " of a bulk answer is " + item.getOpType() + " of id '"
                        + item.getId() + "', its request " + origin.opType() + " of id '" + origin.id()
                        + "'; the job stops rather than pair an answer with the wrong change");
            }
            if (!item.isFailed()) {
                countSuccess(item, ChangeRequests.actionOf(origin));
                continue;
            }
            ActionFailures.Failure failure = failureOf(item);
            ActionFailures.Outcome outcome = ActionFailures.classify(failure);
            DocumentAction action = ChangeRequests.actionOf(origin);
            if (outcome == ActionFailures.Outcome.DEAD_LETTER && action == null) {
                outcome = ActionFailures.Outcome.FAIL;
            }
            switch (outcome) {
                case ALREADY_NEWER:
                    conflicts.inc();
                    break;
                case DEAD_LETTER:
                    refused.add(FailedChange.rejected(action, failureOf(failure, item.getFailure())));
                    break;
                case FAIL:
                    rejections.add(describe(item.getFailure(), failure, origin));
                    break;
                default:
                    throw new IllegalStateException("unhandled outcome");
            }
        }
        if (!rejections.isEmpty()) {
            throw new RejectedDocumentsException(rejections, items.length);
        }
        if (!refused.isEmpty()) {
            // Synchronous: they are kept before the bulk counts as answered.
            rejected.onRejected(refused);
        }
    }

    /** What OpenSearch said about the failed {@code item}. */
    static ActionFailures.Failure failureOf(BulkItemResponse item) {
        // The cause's own message: the failure's wraps it once more ("OpenSearchException[...]").
        Throwable cause = item.getFailure().getCause();
        return ActionFailures.Failure.of(cause != null ? cause.getMessage() : item.getFailure().getMessage(),
                item.getFailure().getStatus().getStatus());
    }

    /** The failure a dead letter records. */
    static Failure failureOf(ActionFailures.Failure failure, BulkItemResponse.Failure item) {
        String type = failure.type != null ? failure.type
                : item.getCause() == null ? "unknown" : item.getCause().getClass().getSimpleName();
        return Failure.of(FailureStage.INDEX, type, failure.reason, failure.status, System.currentTimeMillis());
    }

    private void countSuccess(BulkItemResponse item, DocumentAction action) {
        // A delete of a missing document answers 404 "not_found" without failing: it is a delete done.
        if (item.getOpType() == DocWriteRequest.OpType.DELETE) {
            deleted.inc();
        } else {
            indexed.inc();
            if (action != null && action.getOrigin() != null && action.getOrigin().isSnapshot()) {
                snapshotsIndexed.inc();
            }
        }
    }

    /**
     * A line for the job's log: index, id, version, status and error type; OpenSearch's reason only where it speaks
     * of the index or the cluster, since a reason about a document can quote the document's values.
     */
    static String describe(BulkItemResponse.Failure item, ActionFailures.Failure failure, DocWriteRequest<?> origin) {
        return "index '" + item.getIndex() + "', id '" + item.getId() + "'"
                + (origin == null ? "" : ", version " + origin.version())
                + ", status " + failure.status + " (" + item.getStatus() + "), "
                + (failure.type == null ? "error type unknown" : failure.type)
                + (ActionFailures.reasonIsLoggable(failure) ? ": " + failure.reason : "");
    }

    /** Builds one inspector per sink writer, with that writer's counters and rejection handler. */
    static final class Factory implements BulkResponseInspectorFactory {
        private static final long serialVersionUID = 1L;

        private final RejectedActionHandler.Factory rejected;

        Factory(RejectedActionHandler.Factory rejected) {
            this.rejected = rejected;
        }

        @Override
        public BulkResponseInspector apply(InitContext context) {
            MetricGroup metrics = context.metricGroup();
            return new BulkOutcomeInspector(metrics.counter(DOCUMENTS_INDEXED), metrics.counter(DOCUMENTS_DELETED),
                    metrics.counter(VERSION_CONFLICTS), metrics.counter(SNAPSHOTS_INDEXED), rejected.create(metrics));
        }
    }
}
