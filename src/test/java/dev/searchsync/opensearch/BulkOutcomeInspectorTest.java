package dev.searchsync.opensearch;

import org.apache.flink.metrics.SimpleCounter;
import org.junit.jupiter.api.Test;

import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.FailureStage;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What each failed or successful bulk item means, paired with the request at its position and checked to match. */
class BulkOutcomeInspectorTest {
    private final SimpleCounter indexed = new SimpleCounter();
    private final SimpleCounter deleted = new SimpleCounter();
    private final SimpleCounter conflicts = new SimpleCounter();
    private final SimpleCounter snapshots = new SimpleCounter();
    private final List<FailedChange> refused = new ArrayList<>();
    private final BulkOutcomeInspector inspector = new BulkOutcomeInspector(indexed, deleted, conflicts, snapshots,
            refused::addAll);

    @Test
    void successesAreCountedByKindAndADeleteOfAMissingDocumentIsNoFailure() {
        List<DocumentAction> request = List.of(SinkJobs.write("products", "a", 1, "{}"), SinkJobs.delete("products", "b", 2), SinkJobs.delete("products", "c", 3));
        List<BulkAnswer.Item> response = BulkResponses.parse(BulkResponses.of(
                BulkResponses.indexed("products", "a", 1),
                BulkResponses.deleted("products", "b", 2, true),
                BulkResponses.deleted("products", "c", 3, false)));
        assertThat(response.get(2).status).isEqualTo(404);

        inspector.inspect(request, response);

        assertThat(indexed.getCount()).isEqualTo(1);
        assertThat(deleted.getCount()).isEqualTo(2);
        assertThat(conflicts.getCount()).isZero();
        assertThat(snapshots.getCount()).isZero();
    }

    @Test
    void documentsOfAnInitialLoadAreCountedApartToo() {
        DocumentAction loaded = SinkJobs.write("products", "a", 7, "{}");
        loaded.setOrigin(dev.searchsync.model.Origin.snapshot("orders", "dynamodb-streams", 1));
        List<DocumentAction> request = List.of(loaded, SinkJobs.write("products", "b", 1, "{}"));
        List<BulkAnswer.Item> response = BulkResponses.parse(BulkResponses.of(
                BulkResponses.indexed("products", "a", 7), BulkResponses.indexed("products", "b", 1)));

        inspector.inspect(request, response);

        assertThat(indexed.getCount()).isEqualTo(2);
        assertThat(snapshots.getCount()).isEqualTo(1);
    }

    @Test
    void aVersionConflictMeansANewerVersionIsIndexedAndIsOnlyCounted() {
        List<DocumentAction> request = List.of(SinkJobs.write("products", "a", 3, "{}"), SinkJobs.write("products", "b", 1, "{}"));
        List<BulkAnswer.Item> response = BulkResponses.parse(BulkResponses.of(
                BulkResponses.failed("index", "products", "a", 409, "version_conflict_engine_exception", "newer"),
                BulkResponses.indexed("products", "b", 1)));

        inspector.inspect(request, response);

        assertThat(conflicts.getCount()).isEqualTo(1);
        assertThat(indexed.getCount()).isEqualTo(1);
    }

    @Test
    void aRefusedDocumentGoesToTheHandlerWithItsActionAndAConflictCountsAsDone() {
        List<DocumentAction> request = List.of(SinkJobs.write("products", "a", 3, "{}"), SinkJobs.write("products", "b", 9, "{}"), SinkJobs.write("products", "c", 5, "{}"));
        List<BulkAnswer.Item> response = BulkResponses.parse(BulkResponses.of(
                BulkResponses.failed("index", "products", "a", 409, "version_conflict_engine_exception", "newer"),
                BulkResponses.indexed("products", "b", 9),
                BulkResponses.failed("index", "products", "c", 400, "mapper_parsing_exception",
                        "failed to parse field [count] of type [long]. Preview of field's value: 'secret value'")));

        inspector.inspect(request, response);

        assertThat(refused).singleElement().satisfies(failed -> {
            assertThat(failed.getAction().getId()).isEqualTo("c");
            assertThat(failed.getAction().getVersion()).isEqualTo(5);
            assertThat(failed.getRecord()).as("the record stayed behind the keyBy").isNull();
            assertThat(failed.getFailure().getStage()).isEqualTo(FailureStage.INDEX);
            assertThat(failed.getFailure().getStatus()).isEqualTo(400);
            assertThat(failed.getFailure().getType()).isEqualTo("mapper_parsing_exception");
        });
        assertThat(conflicts.getCount()).isEqualTo(1);
        assertThat(indexed.getCount()).isEqualTo(1);
    }

    @Test
    void aHandlerThatCannotKeepTheRefusedFailsTheBulk() {
        BulkOutcomeInspector failing = new BulkOutcomeInspector(indexed, deleted, conflicts, snapshots, rejected -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("store unreachable"));
        });
        List<DocumentAction> request = List.of(SinkJobs.write("products", "c", 5, "{}"));
        List<BulkAnswer.Item> response = BulkResponses.parse(BulkResponses.of(BulkResponses.failed("index", "products", "c",
                400, "mapper_parsing_exception", "failed to parse")));

        assertThatThrownBy(() -> failing.inspect(request, response)).hasMessageContaining("store unreachable");
    }

    @Test
    void aFaultOfTheIndexIsNamedWithOpenSearchsReason() {
        List<DocumentAction> request = List.of(SinkJobs.write("products", "a", 3, "{}"));
        List<BulkAnswer.Item> response = BulkResponses.parse(BulkResponses.of(BulkResponses.failed("index", "products", "a",
                403, "cluster_block_exception", "index [products] blocked by: [FORBIDDEN/8/index write (api)];")));

        assertThatThrownBy(() -> inspector.inspect(request, response))
                .hasMessageEndingWith("index 'products', id 'a', version 3, status 403,"
                        + " cluster_block_exception: index [products] blocked by: [FORBIDDEN/8/index write (api)];");
    }

    @Test
    void severalActionsForOneDocumentArePairedByPosition() {
        List<DocumentAction> request = List.of(SinkJobs.write("products", "a", 3, "{}"), SinkJobs.delete("products", "a", 4), SinkJobs.write("products", "a", 5, "{}"));
        List<BulkAnswer.Item> response = BulkResponses.parse(BulkResponses.of(
                BulkResponses.failed("index", "products", "a", 429, "rejected_execution_exception", "busy"),
                BulkResponses.failed("delete", "products", "a", 429, "rejected_execution_exception", "busy"),
                BulkResponses.failed("index", "products", "a", 429, "rejected_execution_exception", "busy")));

        assertThatThrownBy(() -> inspector.inspect(request, response))
                .isInstanceOfSatisfying(RejectedDocumentsException.class, e -> assertThat(e.rejections())
                        .extracting(line -> line.replaceAll(", status.*", ""))
                        .containsExactly("index 'products', id 'a', version 3", "index 'products', id 'a', version 4",
                                "index 'products', id 'a', version 5"));
    }

    @Test
    void anAnswerThatDoesNotMatchItsRequestActionForActionStopsTheJob() {
        List<DocumentAction> request = List.of(SinkJobs.write("products", "a", 3, "{}"), SinkJobs.write("products", "b", 4, "{}"));
        List<BulkAnswer.Item> swapped = BulkResponses.parse(BulkResponses.of(BulkResponses.indexed("products", "b", 4),
                BulkResponses.indexed("products", "a", 3)));
        List<BulkAnswer.Item> short1 = BulkResponses.parse(BulkResponses.of(BulkResponses.indexed("products", "a", 3)));

        assertThatThrownBy(() -> inspector.inspect(request, swapped)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Item 0 of a bulk answer is index of id 'b', its request index of id 'a'");
        assertThatThrownBy(() -> inspector.inspect(request, short1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("answered 1 items to a bulk of 2 actions");
    }

    @Test
    void theConcreteIndexBehindAnAliasIsNamedWithItsRequestsIdAndVersion() {
        List<DocumentAction> request = List.of(SinkJobs.write("products", "a", 3, "{}"));
        List<BulkAnswer.Item> response = BulkResponses.parse(BulkResponses.of(BulkResponses.failed("index", "products-v2", "a",
                404, "index_not_found_exception", "no such index [products-v2]")));

        assertThatThrownBy(() -> inspector.inspect(request, response))
                .hasMessageContaining("index 'products-v2', id 'a', version 3, status 404, index_not_found_exception");
    }

    @Test
    void aRejectedActionIsDeadLetteredWithItsOwnChangeNotWithAnAcceptedOneOfTheSameDocument() {
        // Two changes of one item in one bulk, as while catching up: the first applies, the second is refused.
        DocumentAction accepted = SinkJobs.write("products", "a", 1, "{\"count\":1}");
        DocumentAction rejected = SinkJobs.write("products", "a", 2, "{\"count\":\"two\"}");
        List<DocumentAction> request = List.of(accepted, rejected);
        List<BulkAnswer.Item> response = BulkResponses.parse(BulkResponses.of(
                BulkResponses.indexed("products", "a", 1),
                BulkResponses.failed("index", "products", "a", 400, "mapper_parsing_exception",
                        "failed to parse field [count] of type [long]")));

        inspector.inspect(request, response);

        assertThat(refused).singleElement().satisfies(failed -> {
            assertThat(failed.getAction().getVersion()).as("the rejected change's version").isEqualTo(2);
            assertThat(failed.getAction().getDocument()).as("the rejected change's document").contains("two");
            assertThat(failed.getFailure().getType()).isEqualTo("mapper_parsing_exception");
        });
        assertThat(indexed.getCount()).isEqualTo(1);
    }

    @Test
    void faultsOfTheIndexOrTheClusterFailTheJobEvenWhenTheirStatusIs400() {
        // What OpenSearch says, not the status alone: these are about the index, and a restart from the checkpoint
        // applies the change once the index is writable again; a dead letter would take it out of the stream.
        String[][] faults = {
            {"400", "index_closed_exception", "closed"},
            {"403", "cluster_block_exception", "index [products] blocked by: [FORBIDDEN/8/index write (api)];"},
            {"429", "cluster_block_exception",
                "index [products] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark];"},
            {"404", "index_not_found_exception", "no such index [products]"},
            {"400", "illegal_argument_exception",
                "no write index is defined for alias [products]. The write index may be explicitly disabled using"
                        + " is_write_index=false or the alias points to multiple indices without one being"
                        + " designated as a write index"},
        };
        for (String[] fault : faults) {
            List<DocumentAction> request = List.of(SinkJobs.write("products", "a", 1, "{}"));
            List<BulkAnswer.Item> response = BulkResponses.parse(BulkResponses.of(BulkResponses.failed("index", "products",
                    "a", Integer.parseInt(fault[0]), fault[1], fault[2])));
            assertThatThrownBy(() -> inspector.inspect(request, response))
                    .as(fault[1])
                    .isInstanceOf(RejectedDocumentsException.class);
        }
        assertThat(refused).as("refused actions").isEmpty();
    }


}
