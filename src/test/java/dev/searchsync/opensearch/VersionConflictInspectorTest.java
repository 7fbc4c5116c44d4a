package dev.searchsync.opensearch;

import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;
import org.opensearch.OpenSearchException;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.bulk.BulkItemResponse;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.bulk.BulkResponse;
import org.opensearch.action.delete.DeleteResponse;
import org.opensearch.action.index.IndexResponse;
import org.opensearch.core.index.shard.ShardId;
import org.opensearch.core.rest.RestStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each failed or successful bulk item means, matched to its request by document, never by position. */
class VersionConflictInspectorTest {
    private static final ShardId SHARD = new ShardId("products", "uuid", 0);

    private final SimpleCounter indexed = new SimpleCounter();
    private final SimpleCounter deleted = new SimpleCounter();
    private final SimpleCounter conflicts = new SimpleCounter();
    private final VersionConflictInspector inspector = new VersionConflictInspector(indexed, deleted, conflicts);

    @Test
    void successesAreCountedByKindAndADeleteOfAMissingDocumentIsNoFailure() {
        BulkRequest request = new BulkRequest()
                .add(DocumentEmitter.indexRequest(SinkJobs.write("products", "a", 1, "{}")))
                .add(DocumentEmitter.deleteRequest(SinkJobs.delete("products", "b", 2)))
                .add(DocumentEmitter.deleteRequest(SinkJobs.delete("products", "c", 3)));
        BulkResponse response = new BulkResponse(new BulkItemResponse[] {
            new BulkItemResponse(0, DocWriteRequest.OpType.INDEX, new IndexResponse(SHARD, "a", 1, 1, 1, true)),
            new BulkItemResponse(1, DocWriteRequest.OpType.DELETE, new DeleteResponse(SHARD, "b", 2, 1, 2, true)),
            new BulkItemResponse(2, DocWriteRequest.OpType.DELETE, new DeleteResponse(SHARD, "c", 3, 1, 3, false))
        }, 5);
        assertThat(response.getItems()[2].status()).isEqualTo(RestStatus.NOT_FOUND);

        inspector.inspect(request, response);

        assertThat(indexed.getCount()).isEqualTo(1);
        assertThat(deleted.getCount()).isEqualTo(2);
        assertThat(conflicts.getCount()).isZero();
    }

    @Test
    void aVersionConflictMeansANewerVersionIsIndexedAndIsOnlyCounted() {
        BulkRequest request = new BulkRequest()
                .add(DocumentEmitter.indexRequest(SinkJobs.write("products", "a", 3, "{}")))
                .add(DocumentEmitter.indexRequest(SinkJobs.write("products", "b", 1, "{}")));
        BulkResponse response = new BulkResponse(new BulkItemResponse[] {
            failed(0, DocWriteRequest.OpType.INDEX, "a", RestStatus.CONFLICT, "version_conflict_engine_exception"),
            new BulkItemResponse(1, DocWriteRequest.OpType.INDEX, new IndexResponse(SHARD, "b", 1, 1, 1, true))
        }, 5);

        inspector.inspect(request, response);

        assertThat(conflicts.getCount()).isEqualTo(1);
        assertThat(indexed.getCount()).isEqualTo(1);
    }

    @Test
    void anyOtherFailureStopsTheJobNamingIndexIdVersionStatusAndReason() {
        BulkRequest request = new BulkRequest()
                .add(DocumentEmitter.indexRequest(SinkJobs.write("products", "a", 3, "{}")))
                .add(DocumentEmitter.indexRequest(SinkJobs.write("products", "b", 9, "{}")))
                .add(DocumentEmitter.indexRequest(SinkJobs.write("products", "c", 5, "{}")));
        // Out of request order, as after a retry of 429s: item 0 answers the third request.
        BulkResponse response = new BulkResponse(new BulkItemResponse[] {
            failed(0, DocWriteRequest.OpType.INDEX, "c", RestStatus.BAD_REQUEST, "mapper_parsing_exception"),
            failed(1, DocWriteRequest.OpType.INDEX, "a", RestStatus.CONFLICT, "version_conflict_engine_exception"),
            new BulkItemResponse(2, DocWriteRequest.OpType.INDEX, new IndexResponse(SHARD, "b", 1, 1, 9, true))
        }, 5);

        assertThatThrownBy(() -> inspector.inspect(request, response))
                .isInstanceOf(RejectedDocumentsException.class)
                .hasMessage("OpenSearch rejected 1 of 3 actions of a bulk request; the job stops so no change is"
                        + " lost:\n  - index 'products', id 'c', version 5, status 400 (BAD_REQUEST):"
                        + " OpenSearchException[mapper_parsing_exception]");
        assertThat(conflicts.getCount()).isEqualTo(1);
    }

    @Test
    void severalActionsForOneDocumentAreMatchedByOperationAndOrder() {
        BulkRequest request = new BulkRequest()
                .add(DocumentEmitter.indexRequest(SinkJobs.write("products", "a", 3, "{}")))
                .add(DocumentEmitter.deleteRequest(SinkJobs.delete("products", "a", 4)))
                .add(DocumentEmitter.indexRequest(SinkJobs.write("products", "a", 5, "{}")));
        BulkResponse response = new BulkResponse(new BulkItemResponse[] {
            failed(2, DocWriteRequest.OpType.INDEX, "a", RestStatus.TOO_MANY_REQUESTS, "rejected_execution"),
            failed(1, DocWriteRequest.OpType.DELETE, "a", RestStatus.TOO_MANY_REQUESTS, "rejected_execution"),
            failed(0, DocWriteRequest.OpType.INDEX, "a", RestStatus.TOO_MANY_REQUESTS, "rejected_execution")
        }, 5);

        assertThatThrownBy(() -> inspector.inspect(request, response))
                .isInstanceOfSatisfying(RejectedDocumentsException.class, e -> assertThat(e.rejections())
                        .extracting(line -> line.replaceAll(", status.*", ""))
                        .containsExactly("index 'products', id 'a', version 3", "index 'products', id 'a', version 4",
                                "index 'products', id 'a', version 5"));
    }

    @Test
    void theConcreteIndexBehindAnAliasStillFindsItsRequest() {
        BulkRequest request = new BulkRequest()
                .add(DocumentEmitter.indexRequest(SinkJobs.write("products", "a", 3, "{}")));
        BulkResponse response = new BulkResponse(new BulkItemResponse[] {
            new BulkItemResponse(0, DocWriteRequest.OpType.INDEX, new BulkItemResponse.Failure("products-v2", "a",
                    new OpenSearchException("strict_dynamic_mapping_exception"), RestStatus.BAD_REQUEST))
        }, 5);

        assertThatThrownBy(() -> inspector.inspect(request, response))
                .hasMessageContaining("index 'products-v2', id 'a', version 3, status 400 (BAD_REQUEST)");
    }

    @Test
    void conflictsAreDoneDocumentFaultsAreDeadLettersTheRestFails() {
        assertThat(classify(RestStatus.CONFLICT)).isEqualTo(VersionConflictInspector.Outcome.ALREADY_NEWER);
        for (RestStatus status : new RestStatus[] {RestStatus.BAD_REQUEST, RestStatus.REQUEST_ENTITY_TOO_LARGE,
                RestStatus.UNPROCESSABLE_ENTITY}) {
            assertThat(classify(status)).as(status.toString()).isEqualTo(VersionConflictInspector.Outcome.DEAD_LETTER);
        }
        for (RestStatus status : new RestStatus[] {RestStatus.TOO_MANY_REQUESTS, RestStatus.UNAUTHORIZED,
                RestStatus.FORBIDDEN, RestStatus.NOT_FOUND, RestStatus.INTERNAL_SERVER_ERROR,
                RestStatus.SERVICE_UNAVAILABLE}) {
            assertThat(classify(status)).as(status.toString()).isEqualTo(VersionConflictInspector.Outcome.FAIL);
        }
    }

    private static VersionConflictInspector.Outcome classify(RestStatus status) {
        return VersionConflictInspector.classify(
                new BulkItemResponse.Failure("i", "d", new OpenSearchException("x"), status));
    }

    private static BulkItemResponse failed(int itemId, DocWriteRequest.OpType opType, String id, RestStatus status,
            String reason) {
        return new BulkItemResponse(itemId, opType,
                new BulkItemResponse.Failure("products", id, new OpenSearchException(reason), status));
    }
}
