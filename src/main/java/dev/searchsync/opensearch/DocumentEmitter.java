package dev.searchsync.opensearch;

import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.Op;

import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.opensearch.sink.OpensearchEmitter;
import org.apache.flink.connector.opensearch.sink.RequestIndexer;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.index.VersionType;

/**
 * Turns each {@link DocumentAction} into one bulk action. INDEX and DELETE carry their external version, so
 * OpenSearch itself refuses any change older than what it holds: EXTERNAL (strictly greater) rather than
 * EXTERNAL_GTE, since an equal version can only be a replay of a change already applied, and refusing it means a
 * different change carrying an equal version can never overwrite the newer one. CREATE carries none: its id is the
 * event's, so a replay finds the document there. Either way a replay answers 409, which {@link BulkOutcomeInspector}
 * counts as done.
 */
public final class DocumentEmitter implements OpensearchEmitter<DocumentAction> {
    private static final long serialVersionUID = 1L;

    @Override
    public void emit(DocumentAction action, SinkWriter.Context context, RequestIndexer indexer) {
        DocWriteRequest<?> request = request(action);
        if (request instanceof DeleteRequest) {
            indexer.add((DeleteRequest) request);
        } else {
            indexer.add((IndexRequest) request);
        }
    }

    /** The bulk action of {@code action}: what the sink sends, and what a reduced retry sends the same way. */
    static DocWriteRequest<?> request(DocumentAction action) {
        switch (action.getOp()) {
            case DELETE:
                return deleteRequest(action);
            case INDEX:
                return indexRequest(action);
            case CREATE:
                return createRequest(action);
            default:
                throw new IllegalArgumentException("unknown operation " + action.getOp() + " of " + action);
        }
    }

    static IndexRequest indexRequest(DocumentAction action) {
        return withSource(new ChangeRequests.Index(versioned(action)), action)
                .version(action.getVersion())
                .versionType(VersionType.EXTERNAL);
    }

    static IndexRequest createRequest(DocumentAction action) {
        return withSource(new ChangeRequests.Index(action), action).opType(DocWriteRequest.OpType.CREATE);
    }

    static DeleteRequest deleteRequest(DocumentAction action) {
        return new ChangeRequests.Delete(versioned(action))
                .version(action.getVersion())
                .versionType(VersionType.EXTERNAL);
    }

    private static IndexRequest withSource(IndexRequest request, DocumentAction action) {
        byte[] document = action.getDocumentUtf8();
        if (document == null) {
            throw new IllegalArgumentException((action.getOp() == Op.CREATE ? "create" : "write") + " of index '"
                    + action.getIndex() + "', id '" + action.getId() + "' v" + action.getVersion() + " has no document");
        }
        // The bytes are wrapped, not copied; the client parses and re-encodes them all the same when it builds the bulk
        // body (RequestConverters.bulk), writing decimals as doubles unless protected: see ExactNumbers.
        return request.id(action.getId()).source(ExactNumbers.forClient(document), XContentType.JSON);
    }

    private static DocumentAction versioned(DocumentAction action) {
        if (action.getVersion() <= 0) {
            // Unversioned changes would all carry 0: every one after a document's first would be refused silently.
            throw new IllegalArgumentException((action.getOp() == Op.DELETE ? "delete" : "write") + " of index '"
                    + action.getIndex() + "', id '" + action.getId() + "' has version " + action.getVersion()
                    + ", expected the external version the ordering step assigns (> 0)");
        }
        return action;
    }
}
