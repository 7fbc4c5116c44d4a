package dev.searchsync.opensearch;

import dev.searchsync.model.DocumentAction;

import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.index.IndexRequest;

/**
 * Index and delete requests that remember the action they came from. The bulk inspector gets back the very
 * request objects the emitter made, so a refused action can become a dead letter without any lookup table to fill
 * and forget.
 */
final class ChangeRequests {
    private ChangeRequests() {}

    /** The action behind {@code request}, or null for a request this job did not make. */
    static DocumentAction actionOf(Object request) {
        if (request instanceof Index) {
            return ((Index) request).action;
        }
        if (request instanceof Delete) {
            return ((Delete) request).action;
        }
        return null;
    }

    /** An index (or create) request carrying its action. */
    static final class Index extends IndexRequest {
        private final transient DocumentAction action;

        Index(DocumentAction action) {
            super(action.getIndex());
            this.action = action;
        }
    }

    /** A delete request carrying its action. */
    static final class Delete extends DeleteRequest {
        private final transient DocumentAction action;

        Delete(DocumentAction action) {
            super(action.getIndex(), action.getId());
            this.action = action;
        }
    }
}
