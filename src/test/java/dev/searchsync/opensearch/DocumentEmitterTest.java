package dev.searchsync.opensearch;

import dev.searchsync.model.DocumentAction;

import org.apache.flink.connector.opensearch.sink.RequestIndexer;
import org.junit.jupiter.api.Test;
import org.opensearch.action.DocWriteRequest;
import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.action.update.UpdateRequest;
import org.opensearch.common.xcontent.XContentType;
import org.opensearch.index.VersionType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each change becomes exactly one action carrying its external version (EXTERNAL, strictly greater). */
class DocumentEmitterTest {
    private final Collected indexer = new Collected();

    @Test
    void aWriteBecomesAnIndexRequestWithItsExternalVersion() {
        new DocumentEmitter().emit(SinkJobs.write("products", "sku#1", 42, "{\"name\":\"kettle\"}"), null, indexer);

        assertThat(indexer.requests).hasSize(1);
        IndexRequest request = (IndexRequest) indexer.requests.get(0);
        assertThat(request.index()).isEqualTo("products");
        assertThat(request.id()).isEqualTo("sku#1");
        assertThat(request.version()).isEqualTo(42);
        assertThat(request.versionType()).isEqualTo(VersionType.EXTERNAL);
        assertThat(request.opType()).isEqualTo(DocWriteRequest.OpType.INDEX);
        assertThat(request.getContentType()).isEqualTo(XContentType.JSON);
        assertThat(request.sourceAsMap()).containsEntry("name", "kettle");
        assertThat(request.validate()).isNull();
    }

    @Test
    void theDocumentsBytesReachTheClientUncopiedUnlessADecimalNeedsProtecting() {
        DocumentAction plain = SinkJobs.write("products", "sku#1", 42, "{\"name\":\"kettle\",\"stock\":3}");
        DocumentAction decimal = SinkJobs.write("products", "sku#2", 42, "{\"price\":1.50}");
        new DocumentEmitter().emit(plain, null, indexer);
        new DocumentEmitter().emit(decimal, null, indexer);

        assertThat(((IndexRequest) indexer.requests.get(0)).source().toBytesRef().bytes)
                .isSameAs(plain.getDocumentUtf8());
        assertThat(((IndexRequest) indexer.requests.get(1)).source().utf8ToString())
                .isEqualTo("{\"price\":\"\uE000#1.50\"}");
        assertThat(decimal.getDocument()).as("the action keeps the document as built").isEqualTo("{\"price\":1.50}");
    }

    @Test
    void aDeleteBecomesADeleteRequestWithItsExternalVersion() {
        new DocumentEmitter().emit(SinkJobs.delete("products", "sku#1", 43), null, indexer);

        assertThat(indexer.requests).hasSize(1);
        DeleteRequest request = (DeleteRequest) indexer.requests.get(0);
        assertThat(request.index()).isEqualTo("products");
        assertThat(request.id()).isEqualTo("sku#1");
        assertThat(request.version()).isEqualTo(43);
        assertThat(request.versionType()).isEqualTo(VersionType.EXTERNAL);
        assertThat(request.validate()).isNull();
    }

    @Test
    void aWriteWithoutDocumentIsRefusedNamingIt() {
        DocumentAction change = SinkJobs.write("products", "sku#2", 7, null);
        assertThatThrownBy(() -> new DocumentEmitter().emit(change, null, indexer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("write of index 'products', id 'sku#2' v7 has no document");
        assertThat(indexer.requests).isEmpty();
    }

    @Test
    void aChangeWithoutVersionIsRefusedNamingIt() {
        DocumentAction change = SinkJobs.delete("products", "sku#3", 0);
        assertThatThrownBy(() -> new DocumentEmitter().emit(change, null, indexer))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delete of index 'products', id 'sku#3' has version 0, expected the external version the"
                        + " ordering step assigns (> 0)");
        assertThat(indexer.requests).isEmpty();
    }

    /** Keeps what the emitter hands to the sink. */
    private static final class Collected implements RequestIndexer {
        final List<DocWriteRequest<?>> requests = new ArrayList<>();

        @Override
        public void add(DeleteRequest... deleteRequests) {
            requests.addAll(Arrays.asList(deleteRequests));
        }

        @Override
        public void add(IndexRequest... indexRequests) {
            requests.addAll(Arrays.asList(indexRequests));
        }

        @Override
        public void add(UpdateRequest... updateRequests) {
            requests.addAll(Arrays.asList(updateRequests));
        }
    }
}
