package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchConfig;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.DocumentReduction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failure;

import org.apache.flink.metrics.Counter;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.apache.http.util.EntityUtils;
import org.opensearch.client.Request;
import org.opensearch.client.RestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends an action OpenSearch refused for its content once more, in the smaller form its input allows
 * ({@link DocumentReduction}), before it becomes a dead letter; for inputs whose documents carry extra fields the
 * source never promised to keep (a log event's parsed JSON). Each reduced form refused again is reduced again; what
 * has nothing left to drop goes to the dead letters with OpenSearch's last answer, and the original action, so a
 * redrive sends the whole document.
 *
 * <p>Synchronous, like the dead letters behind it: the bulk the sink waits on counts as answered only once every
 * refused action is indexed in some form or kept as a letter. The client is opened per refused bulk and closed
 * before returning: refusals are rare, and a handler has no close of its own to release a long-lived one.
 */
final class ReducedRetry implements RejectedActionHandler {
    /** Documents OpenSearch took only in a reduced form. */
    static final String DOCUMENTS_REDUCED = "documentsReduced";

    private final OpenSearchConfig config;
    private final DocumentReduction reduction;
    private final RejectedActionHandler letters;
    private final Counter reduced;

    ReducedRetry(OpenSearchConfig config, DocumentReduction reduction, RejectedActionHandler letters,
            Counter reduced) {
        this.config = Objects.requireNonNull(config);
        this.reduction = Objects.requireNonNull(reduction);
        this.letters = Objects.requireNonNull(letters);
        this.reduced = Objects.requireNonNull(reduced);
    }

    /** {@code letters}, with a reduced retry in front of it on each sink writer. */
    static RejectedActionHandler.Factory factory(OpenSearchConfig config, DocumentReduction reduction,
            RejectedActionHandler.Factory letters) {
        Objects.requireNonNull(config);
        Objects.requireNonNull(reduction);
        Objects.requireNonNull(letters);
        return metrics -> new ReducedRetry(config, reduction, letters.create(metrics),
                metrics.counter(DOCUMENTS_REDUCED));
    }

    @Override
    public void onRejected(List<FailedChange> rejected) {
        List<FailedChange> unreduced = new ArrayList<>();
        List<Attempt> round = new ArrayList<>();
        for (FailedChange failed : rejected) {
            round.add(new Attempt(failed.getAction(), failed.getAction(), failed.getFailure()));
        }
        RestClient client = null;
        try {
            while (!round.isEmpty()) {
                List<Attempt> sending = new ArrayList<>();
                for (Attempt attempt : round) {
                    Optional<DocumentAction> smaller = reduction.reduce(attempt.current);
                    if (smaller.isPresent()) {
                        attempt.current = smaller.get();
                        sending.add(attempt);
                    } else {
                        unreduced.add(FailedChange.rejected(attempt.original, attempt.failure));
                    }
                }
                if (sending.isEmpty()) {
                    break;
                }
                if (client == null) {
                    client = OpenSearchSinks.restClient(config).build();
                }
                round = send(client, sending);
            }
        } finally {
            close(client);
        }
        if (!unreduced.isEmpty()) {
            letters.onRejected(unreduced);
        }
    }

    /** Sends the reduced forms; returns those refused for their content again, with the new refusal. */
    private List<Attempt> send(RestClient client, List<Attempt> sending) {
        List<DocumentAction> actions = new ArrayList<>();
        for (Attempt attempt : sending) {
            actions.add(attempt.current);
        }
        Request request = new Request("POST", "/_bulk");
        request.setEntity(new NByteArrayEntity(BulkBody.of(actions), ContentType.APPLICATION_JSON));
        List<BulkAnswer.Item> items;
        try {
            items = BulkAnswer.items(EntityUtils.toByteArray(client.performRequest(request).getEntity()));
        } catch (IOException e) {
            // The job fails and restarts from its checkpoint: the original bulk is sent, refused and reduced again.
            throw new UncheckedIOException("Could not send " + sending.size() + " reduced documents to OpenSearch at "
                    + config.endpoints() + ": " + e.getMessage(), e);
        }
        if (items.size() != sending.size()) {
            throw new IllegalStateException("OpenSearch answered " + items.size() + " items to a bulk of "
                    + sending.size() + " reduced documents; the job stops rather than guess which is which");
        }
        List<Attempt> refused = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Attempt attempt = sending.get(i);
            if (!items.get(i).failed()) {
                reduced.inc();
                continue;
            }
            ActionFailures.Failure failure = items.get(i).failure();
            switch (ActionFailures.classify(failure)) {
                case ALREADY_NEWER:
                    // A create whose reduced form an earlier attempt (before a restart) indexed already.
                    reduced.inc();
                    break;
                case DEAD_LETTER:
                    attempt.failure = BulkOutcomeInspector.failureOf(failure);
                    refused.add(attempt);
                    break;
                default:
                    failures.add(BulkOutcomeInspector.describe(attempt.current, items.get(i).index, failure));
            }
        }
        if (!failures.isEmpty()) {
            throw new RejectedDocumentsException(failures, items.size());
        }
        return refused;
    }

    private static void close(RestClient client) {
        if (client == null) {
            return;
        }
        try {
            client.close();
        } catch (IOException e) {
            // Every answer is in: an unclean close loses nothing.
        }
    }

    /** One refused action on its way through smaller forms. */
    private static final class Attempt {
        final DocumentAction original;
        DocumentAction current;
        Failure failure;

        Attempt(DocumentAction original, DocumentAction current, Failure failure) {
            this.original = original;
            this.current = current;
            this.failure = failure;
        }
    }
}
