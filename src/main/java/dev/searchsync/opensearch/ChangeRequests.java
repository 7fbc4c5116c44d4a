package dev.searchsync.opensearch;

import dev.searchsync.document.DocumentChange;

import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.index.IndexRequest;

/**
 * Index and delete requests that remember the change they came from. The bulk inspector gets back the very
 * request objects the emitter made, so a rejected action can become a dead letter with its whole original change
 * without any lookup table to fill and forget.
 */
final class ChangeRequests {
    private ChangeRequests() {}

    /** The change behind {@code request}, or null for a request this job did not make. */
    static DocumentChange changeOf(Object request) {
        if (request instanceof Index) {
            return ((Index) request).change;
        }
        if (request instanceof Delete) {
            return ((Delete) request).change;
        }
        return null;
    }

    /** An index request carrying its change. */
    static final class Index extends IndexRequest {
        private final transient DocumentChange change;

        Index(DocumentChange change) {
            super(change.getIndex());
            this.change = change;
        }
    }

    /** A delete request carrying its change. */
    static final class Delete extends DeleteRequest {
        private final transient DocumentChange change;

        Delete(DocumentChange change) {
            super(change.getIndex(), change.getDocumentId());
            this.change = change;
        }
    }
}
