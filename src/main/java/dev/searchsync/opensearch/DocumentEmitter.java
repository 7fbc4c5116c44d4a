package dev.searchsync.opensearch;

import dev.searchsync.document.DocumentChange;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.opensearch.sink.OpensearchEmitter;
import org.apache.flink.connector.opensearch.sink.RequestIndexer;
import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.index.VersionType;

/**
 * Turns each {@link DocumentChange} into one versioned bulk action, so OpenSearch itself refuses any change older
 * than what it holds. EXTERNAL (strictly greater) rather than EXTERNAL_GTE: an equal version can only be a replay
 * of a change already applied, and refusing it means a different change carrying an equal version can never
 * overwrite the newer one; replays then show up as version conflicts (see {@link VersionConflictInspector}).
 */
public final class DocumentEmitter implements OpensearchEmitter<DocumentChange> {
    private static final long serialVersionUID = 1L;

    @Override
    public void emit(DocumentChange change, SinkWriter.Context context, RequestIndexer indexer) {
        if (change.getVersion() <= 0) {
            // Unversioned changes would all carry 0: every one after a document's first would be refused silently.
            throw new IllegalArgumentException((change.isDelete() ? "delete" : "write") + " of index '"
                    + change.getIndex() + "', id '" + change.getDocumentId() + "' has version "
                    + change.getVersion() + ", expected the external version the ordering step assigns (> 0)");
        }
        if (change.isDelete()) {
            indexer.add(deleteRequest(change));
        } else {
            indexer.add(indexRequest(change));
        }
    }

    static IndexRequest indexRequest(DocumentChange change) {
        if (change.getDocument() == null) {
            throw new IllegalArgumentException("write of index '" + change.getIndex() + "', id '"
                    + change.getDocumentId() + "' v" + change.getVersion() + " has no document");
        }
        return new ChangeRequests.Index(change)
                .id(change.getDocumentId())
                // The client re-encodes sources and would round decimals; see ExactNumbers.
                .source(ExactNumbers.protect(change.getDocument()), XContentType.JSON)
                .version(change.getVersion())
                .versionType(VersionType.EXTERNAL);
    }

    static DeleteRequest deleteRequest(DocumentChange change) {
        return new ChangeRequests.Delete(change)
                .version(change.getVersion())
                .versionType(VersionType.EXTERNAL);
    }
}
