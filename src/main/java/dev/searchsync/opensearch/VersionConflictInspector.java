package dev.searchsync.opensearch;

import dev.searchsync.config.DeadLetterConfig;
import dev.searchsync.deadletter.DeadLetter;
import dev.searchsync.deadletter.DeadLetterWriter;
import dev.searchsync.deadletter.JobInfo;
import dev.searchsync.document.DocumentChange;

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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decides what each answered bulk action means, replacing the connector's default inspector, which fails the job
 * on any failed item (a version conflict included) and pairs items with requests by position (wrong after a retry).
 * A version conflict (409) means a newer version is already indexed, so it counts as done. A rejection of the
 * document itself (any other 4xx but 429) becomes a dead letter, written durably before this method returns and
 * so before the bulk is acknowledged and a checkpoint can complete. Everything else (429 after the connector's
 * retries, 5xx, or a rejection with no dead-letter store) fails the job rather than dropping a change.
 */
public final class VersionConflictInspector implements BulkResponseInspector {
    /** How the REST client words an item's error: {@code OpenSearch exception [type=..., reason=...]}. */
    private static final Pattern OPENSEARCH_ERROR = Pattern.compile("type=([a-z_]+), reason=(.*?)\\]?$");

    public static final String DOCUMENTS_INDEXED = "documentsIndexed";
    public static final String DOCUMENTS_DELETED = "documentsDeleted";
    public static final String VERSION_CONFLICTS = "versionConflicts";

    /** What a failed action means for the job. */
    enum Outcome {
        /** OpenSearch holds a newer (or the same) version already: the change is superseded, nothing to do. */
        ALREADY_NEWER,
        /** OpenSearch refuses this document as it is: keep it as a dead letter to fix and redrive. */
        DEAD_LETTER,
        /** The change was not applied and nothing else will apply it: stop the job. */
        FAIL
    }

    private final Counter indexed;
    private final Counter deleted;
    private final Counter conflicts;
    private final DeadLetterWriter deadLetters;
    private final JobInfo job;

    public VersionConflictInspector(Counter indexed, Counter deleted, Counter conflicts) {
        this(indexed, deleted, conflicts, null, null);
    }

    /** @param deadLetters where rejected documents go; null to fail the job on them instead */
    public VersionConflictInspector(
            Counter indexed, Counter deleted, Counter conflicts, DeadLetterWriter deadLetters, JobInfo job) {
        this.indexed = Objects.requireNonNull(indexed);
        this.deleted = Objects.requireNonNull(deleted);
        this.conflicts = Objects.requireNonNull(conflicts);
        this.deadLetters = deadLetters;
        this.job = job;
    }

    /** For {@code Opensearch2SinkBuilder#setBulkResponseInspectorFactory}: counters on each sink writer's group. */
    public static BulkResponseInspectorFactory factory() {
        return new Factory(null);
    }

    /** As {@link #factory()}, with rejected documents written as dead letters under {@code config}'s path. */
    public static BulkResponseInspectorFactory factory(DeadLetterConfig config) {
        return new Factory(config);
    }

    /**
     * @throws RejectedDocumentsException naming index, id, status and OpenSearch's reason of every action that
     *     failed for another reason than a version conflict
     */
    @Override
    public void inspect(BulkRequest request, BulkResponse response) {
        RequestsByDocument requests = null;
        List<String> rejections = new ArrayList<>();
        List<DeadLetter> letters = new ArrayList<>();
        for (BulkItemResponse item : response.getItems()) {
            if (!item.isFailed()) {
                countSuccess(item);
                continue;
            }
            if (requests == null) {
                requests = new RequestsByDocument(request.requests());
            }
            DocWriteRequest<?> origin = requests.take(item.getIndex(), item.getId(), item.getOpType());
            Outcome outcome = classify(item.getFailure());
            DocumentChange change = ChangeRequests.changeOf(origin);
            if (outcome == Outcome.DEAD_LETTER && (deadLetters == null || change == null)) {
                outcome = Outcome.FAIL;
            }
            switch (outcome) {
                case ALREADY_NEWER:
                    conflicts.inc();
                    break;
                case DEAD_LETTER:
                    letters.add(deadLetter(change, item.getFailure()));
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
        if (!letters.isEmpty()) {
            // Synchronous: the letters are stored before the bulk counts as answered.
            deadLetters.write(letters);
        }
    }

    /** The one place that decides what a failed action means; new outcomes (dead letters) belong here. */
    static Outcome classify(BulkItemResponse.Failure failure) {
        int status = failure.getStatus().getStatus();
        if (status == RestStatus.CONFLICT.getStatus()) {
            return Outcome.ALREADY_NEWER;
        }
        // The document itself is at fault: mapping errors, illegal values, too many fields (400), too large (413).
        // Not 401/403/404: an auth problem, a read-only block (disk full) or a missing index is the cluster's
        // state, and a later retry of the same document can succeed.
        if (status == 400 || status == 413 || status == 422) {
            return Outcome.DEAD_LETTER;
        }
        return Outcome.FAIL;
    }

    private DeadLetter deadLetter(DocumentChange change, BulkItemResponse.Failure failure) {
        String message = String.valueOf(failure.getMessage());
        Matcher typed = OPENSEARCH_ERROR.matcher(message);
        boolean found = typed.find();
        String type = found ? typed.group(1)
                : failure.getCause() == null ? "unknown" : failure.getCause().getClass().getSimpleName();
        String reason = found ? typed.group(2) : message;
        // The letter carries the document as the job built it, not as wrapped for the client.
        return DeadLetter.fromRejected(change, failure.getStatus().getStatus(), type, reason, job);
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

    /** Builds one inspector per sink writer, with that writer's counters and dead-letter writer. */
    static final class Factory implements BulkResponseInspectorFactory {
        private static final long serialVersionUID = 1L;

        private final DeadLetterConfig deadLetters;

        Factory(DeadLetterConfig deadLetters) {
            this.deadLetters = deadLetters;
        }

        @Override
        public BulkResponseInspector apply(InitContext context) {
            MetricGroup metrics = context.metricGroup();
            return new VersionConflictInspector(metrics.counter(DOCUMENTS_INDEXED), metrics.counter(DOCUMENTS_DELETED),
                    metrics.counter(VERSION_CONFLICTS),
                    deadLetters == null ? null : new DeadLetterWriter(deadLetters).countingOn(metrics),
                    deadLetters == null ? null : JobInfo.of(metrics));
        }
    }
}
