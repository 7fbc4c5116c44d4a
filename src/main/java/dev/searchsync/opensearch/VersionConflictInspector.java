package dev.searchsync.opensearch;

import org.apache.flink.connector.opensearch.sink.BulkResponseInspector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.core.rest.RestStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides what each answered bulk action means, replacing the connector's default inspector, which fails the job
 * on any failed item (a version conflict included) and pairs items with requests by position (wrong after a retry).
 * A version conflict means a newer version is already indexed, so it counts as done; anything else fails the job
 * rather than dropping a change silently.
 */
public final class VersionConflictInspector implements BulkResponseInspector {
    public static final String DOCUMENTS_INDEXED = "documentsIndexed";
    public static final String DOCUMENTS_DELETED = "documentsDeleted";
    public static final String VERSION_CONFLICTS = "versionConflicts";

    /** What a failed action means for the job. */
    enum Outcome {
        /** OpenSearch holds a newer (or the same) version already: the change is superseded, nothing to do. */
        ALREADY_NEWER,
        /** The change was not applied and nothing else will apply it: stop the job. */
        FAIL
    }

    private final Counter indexed;
    private final Counter deleted;
    private final Counter conflicts;

    public VersionConflictInspector(Counter indexed, Counter deleted, Counter conflicts) {
        this.indexed = Objects.requireNonNull(indexed);
        this.deleted = Objects.requireNonNull(deleted);
        this.conflicts = Objects.requireNonNull(conflicts);
    }

    /** For {@code Opensearch2SinkBuilder#setBulkResponseInspectorFactory}: counters on each sink writer's group. */
    public static BulkResponseInspectorFactory factory() {
        return new Factory();
    }

    /**
     * @throws RejectedDocumentsException naming index, id, status and OpenSearch's reason of every action that
     *     failed for another reason than a version conflict
     */
    @Override
    public void inspect(BulkRequest request, BulkResponse response) {
        RequestsByDocument requests = null;
        List<String> rejections = new ArrayList<>();
        for (BulkItemResponse item : response.getItems()) {
            if (!item.isFailed()) {
                countSuccess(item);
                continue;
            }
            if (requests == null) {
                requests = new RequestsByDocument(request.requests());
            }
            DocWriteRequest<?> origin = requests.take(item.getIndex(), item.getId(), item.getOpType());
            switch (classify(item.getFailure())) {
                case ALREADY_NEWER:
                    conflicts.inc();
                    break;
                case FAIL:
                    rejections.add(describe(item.getFailure(), origin));
                    break;
                default:
                    throw new IllegalStateException("unhandled outcome");
            }
        }
        if (!rejections.isEmpty()) {
            throw new RejectedDocumentsException(rejections, response.getItems().length);
        }
    }

    /** The one place that decides what a failed action means; new outcomes (dead letters) belong here. */
    static Outcome classify(BulkItemResponse.Failure failure) {
        if (failure.getStatus() == RestStatus.CONFLICT) {
            return Outcome.ALREADY_NEWER;
        }
        return Outcome.FAIL;
    }

    private void countSuccess(BulkItemResponse item) {
        // A delete of a missing document answers 404 "not_found" without failing: it is a delete done.
        if (item.getOpType() == DocWriteRequest.OpType.DELETE) {
            deleted.inc();
        } else {
            indexed.inc();
        }
    }

    static String describe(BulkItemResponse.Failure failure, DocWriteRequest<?> origin) {
        return "index '" + failure.getIndex() + "', id '" + failure.getId() + "'"
                + (origin == null ? "" : ", version " + origin.version())
                + ", status " + failure.getStatus().getStatus() + " (" + failure.getStatus() + "): "
                + failure.getMessage();
    }

    /** Builds one inspector per sink writer, with that writer's counters. */
    static final class Factory implements BulkResponseInspectorFactory {
        private static final long serialVersionUID = 1L;

        @Override
        public BulkResponseInspector apply(InitContext context) {
            MetricGroup metrics = context.metricGroup();
            return new VersionConflictInspector(metrics.counter(DOCUMENTS_INDEXED), metrics.counter(DOCUMENTS_DELETED),
                    metrics.counter(VERSION_CONFLICTS));
        }
    }
}
