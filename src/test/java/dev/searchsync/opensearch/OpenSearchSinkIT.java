package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchConfig;
import dev.searchsync.it.Clusters;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.DocumentReduction;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.searchsync.opensearch.SinkJobs.delete;
import static dev.searchsync.opensearch.SinkJobs.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The production sink against a real OpenSearch 2.19: versioned writes and deletes, refused stale writes, rejections. */
class OpenSearchSinkIT {
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots(METRICS.addToConfiguration(new Configuration()));

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    private final List<String> indices = new ArrayList<>();

    @AfterEach
    void deleteIndices() {
        indices.forEach(OPENSEARCH.server()::deleteIndex);
    }

    @Test
    void writesEveryDocumentWithItsVersion() throws Exception {
        String index = index("sink-it-writes");
        List<DocumentAction> changes = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            changes.add(write(index, "doc-" + i, 1_000 + i, "{\"n\":" + i + "}"));
        }

        JobExecutionResult result = SinkJobs.run(config(), "sink-it-writes", changes);

        OpenSearchServer server = OPENSEARCH.server();
        server.refresh(index);
        assertThat(server.count(index)).isEqualTo(50);
        JsonNode doc = server.requestJson("GET", "/" + index + "/_doc/doc-7", null);
        assertThat(doc.path("_version").asLong()).isEqualTo(1_007);
        assertThat(doc.path("_source").path("n").asInt()).isEqualTo(7);
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), BulkOutcomeInspector.DOCUMENTS_INDEXED))
                .isEqualTo(50);
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), BulkOutcomeInspector.VERSION_CONFLICTS))
                .isZero();
    }

    @Test
    void anOlderOrEqualVersionIsRefusedCountedAndTheJobGoesOn() throws Exception {
        String index = index("sink-it-stale");
        List<DocumentAction> changes = List.of(
                write(index, "a", 5, "{\"name\":\"newest\"}"),
                write(index, "a", 3, "{\"name\":\"older\"}"),
                write(index, "a", 5, "{\"name\":\"replay with the same version\"}"),
                write(index, "b", 1, "{\"name\":\"only\"}"));

        // One action per bulk and one bulk at a time: OpenSearch itself must refuse the stale ones, in this order.
        JobExecutionResult result = SinkJobs.run(oneByOne(), "sink-it-stale", changes);

        JsonNode doc = OPENSEARCH.server().requestJson("GET", "/" + index + "/_doc/a", null);
        assertThat(doc.path("_version").asLong()).isEqualTo(5);
        assertThat(doc.path("_source").path("name").asText()).isEqualTo("newest");
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), BulkOutcomeInspector.VERSION_CONFLICTS))
                .isEqualTo(2);
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), BulkOutcomeInspector.DOCUMENTS_INDEXED))
                .isEqualTo(2);
    }

    @Test
    void versionedDeletesRemoveDocumentsAndOutrankOlderWrites() throws Exception {
        String index = index("sink-it-deletes");
        List<DocumentAction> changes = List.of(
                write(index, "kept", 1, "{\"name\":\"kept\"}"),
                write(index, "gone", 1, "{\"name\":\"gone\"}"),
                delete(index, "gone", 2),
                write(index, "gone", 1, "{\"name\":\"replayed after its delete\"}"),
                delete(index, "never-written", 4),
                write(index, "never-written", 3, "{\"name\":\"older than the delete\"}"));

        JobExecutionResult result = SinkJobs.run(oneByOne(), "sink-it-deletes", changes);

        OpenSearchServer server = OPENSEARCH.server();
        server.refresh(index);
        assertThat(server.status("GET", "/" + index + "/_doc/gone", null)).isEqualTo(404);
        assertThat(server.status("GET", "/" + index + "/_doc/never-written", null)).isEqualTo(404);
        assertThat(server.count(index)).isEqualTo(1);
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), BulkOutcomeInspector.DOCUMENTS_DELETED))
                .isEqualTo(2);
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), BulkOutcomeInspector.DOCUMENTS_INDEXED))
                .isEqualTo(2);
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), BulkOutcomeInspector.VERSION_CONFLICTS))
                .isEqualTo(2);
    }

    @Test
    void changesOfOneDocumentWaitingInOneBulkAreSentAsTheNewestAlone() throws Exception {
        String index = index("sink-it-coalesce");
        List<DocumentAction> changes = List.of(
                write(index, "a", 5, "{\"name\":\"newest\"}"),
                write(index, "a", 3, "{\"name\":\"older, arriving later\"}"),
                write(index, "b", 1, "{\"name\":\"first\"}"),
                write(index, "b", 2, "{\"name\":\"second\"}"),
                delete(index, "b", 3),
                write(index, "c", 1, "{\"name\":\"first\"}"),
                delete(index, "c", 2),
                write(index, "c", 4, "{\"name\":\"back\"}"));

        // The default bulk settings: all eight wait in one bulk (per subtask) until the flush interval.
        JobExecutionResult result = SinkJobs.run(config(), "sink-it-coalesce", changes);

        OpenSearchServer server = OPENSEARCH.server();
        server.refresh(index);
        JsonNode a = server.requestJson("GET", "/" + index + "/_doc/a", null);
        assertThat(a.path("_version").asLong()).isEqualTo(5);
        assertThat(a.path("_source").path("name").asText()).isEqualTo("newest");
        assertThat(server.status("GET", "/" + index + "/_doc/b", null)).isEqualTo(404);
        JsonNode c = server.requestJson("GET", "/" + index + "/_doc/c", null);
        assertThat(c.path("_version").asLong()).isEqualTo(4);
        assertThat(c.path("_source").path("name").asText()).isEqualTo("back");
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), BulkWriter.BULK_ACTIONS_SENT)).isEqualTo(3);
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), BulkWriter.ACTIONS_COALESCED)).isEqualTo(5);
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), BulkOutcomeInspector.DOCUMENTS_INDEXED)).isEqualTo(2);
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), BulkOutcomeInspector.DOCUMENTS_DELETED)).isEqualTo(1);
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), BulkOutcomeInspector.VERSION_CONFLICTS)).isZero();
    }

    @Test
    void aMappingRejectionFailsTheJobNamingIndexIdAndStatus() throws Exception {
        String index = index("sink-it-reject");
        OPENSEARCH.server().request("PUT", "/" + index, "{\"settings\":{\"number_of_replicas\":0},"
                + "\"mappings\":{\"properties\":{\"qty\":{\"type\":\"long\"}}}}");
        List<DocumentAction> changes = List.of(
                write(index, "good-1", 1, "{\"qty\":3}"),
                write(index, "bad-1", 7, "{\"qty\":\"many\"}"));

        assertThatThrownBy(() -> SinkJobs.run(config(), "sink-it-reject", changes))
                .satisfies(e -> assertThat(Failures.messages(e))
                        .contains("OpenSearch rejected 1 of ")
                        .contains("index '" + index + "', id 'bad-1', version 7, status 400")
                        .contains("mapper_parsing_exception"));
    }

    @Test
    void aDocumentRefusedForItsContentIsIndexedInTheReducedFormItsInputAllows() throws Exception {
        String index = index("sink-it-reduce");
        OPENSEARCH.server().request("PUT", "/" + index, "{\"settings\":{\"number_of_replicas\":0},"
                + "\"mappings\":{\"properties\":{\"qty\":{\"type\":\"long\"},\"extra\":{\"type\":\"long\"}}}}");
        List<DocumentAction> changes = List.of(
                write(index, "whole", 1, "{\"qty\":3,\"extra\":4}"),
                write(index, "reduced", 5, "{\"qty\":3,\"extra\":\"not a number\"}"));

        JobExecutionResult result = SinkJobs.run(config(), WITHOUT_EXTRA, SinkJobs.FAIL_ON_REJECTED,
                "sink-it-reduce", changes);

        OpenSearchServer server = OPENSEARCH.server();
        JsonNode reduced = server.requestJson("GET", "/" + index + "/_doc/reduced", null);
        assertThat(reduced.path("_version").asLong()).isEqualTo(5);
        assertThat(reduced.path("_source").toString()).isEqualTo("{\"qty\":3}");
        assertThat(server.requestJson("GET", "/" + index + "/_doc/whole", null).path("_source").toString())
                .isEqualTo("{\"qty\":3,\"extra\":4}");
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), ReducedRetry.DOCUMENTS_REDUCED)).isEqualTo(1);
        assertThat(SinkJobs.counter(METRICS, result.getJobID(), BulkOutcomeInspector.DOCUMENTS_INDEXED))
                .isEqualTo(1);
    }

    @Test
    void whatNoReductionSavesIsRefusedWholeWithOpenSearchsLastAnswer() throws Exception {
        String index = index("sink-it-unreducible");
        OPENSEARCH.server().request("PUT", "/" + index, "{\"settings\":{\"number_of_replicas\":0},"
                + "\"mappings\":{\"dynamic\":\"strict\",\"properties\":{\"qty\":{\"type\":\"long\"},"
                + "\"extra\":{\"type\":\"long\"}}}}");
        // Refused for "extra" (a mapper_parsing_exception), then, without it, for "other" (strict mapping).
        List<DocumentAction> changes = List.of(
                write(index, "bad-1", 7, "{\"qty\":3,\"extra\":\"not a number\",\"other\":1}"));

        assertThatThrownBy(() -> SinkJobs.run(config(), WITHOUT_EXTRA, SinkJobs.FAIL_ON_REJECTED,
                "sink-it-unreducible", changes))
                .satisfies(e -> assertThat(Failures.messages(e))
                        .contains("index '" + index + "', id 'bad-1', version 7, status 400")
                        .contains("strict_dynamic_mapping_exception")
                        .doesNotContain("mapper_parsing_exception"));
        OPENSEARCH.server().refresh(index);
        assertThat(OPENSEARCH.server().count(index)).isZero();
    }

    /** A test input's reduction: drops the top-level field {@code extra}. */
    private static final DocumentReduction WITHOUT_EXTRA = refused -> {
        try {
            ObjectNode document = (ObjectNode) new ObjectMapper().readTree(refused.getDocumentUtf8());
            return document.remove("extra") == null ? Optional.empty()
                    : Optional.of(refused.withDocument(new ObjectMapper().writeValueAsBytes(document)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    };

    private String index(String name) {
        indices.add(name);
        OPENSEARCH.server().deleteIndex(name);
        return name;
    }

    private static OpenSearchConfig config() {
        return TestConfigs.plain(OPENSEARCH.server().httpUrl());
    }

    /** Each action its own bulk, answered before the next is sent: nothing coalesces, OpenSearch sees every one. */
    private static OpenSearchConfig oneByOne() {
        return TestConfigs.opensearch("endpoint", OPENSEARCH.server().httpUrl(), "bulk.max.actions", "1",
                "bulk.max.in.flight", "1");
    }
}
