package dev.searchsync.opensearch;

import dev.searchsync.testlog.LogCapture;

import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Index bootstrap against a real OpenSearch: create from a mapping file, leave a matching index, refuse a different one. */
class IndexBootstrapIT {
    private static final String MAPPING = "{\n"
            + "  \"settings\": {\"number_of_shards\": 1, \"number_of_replicas\": 0},\n"
            + "  \"mappings\": {\"properties\": {\n"
            + "    \"name\": {\"type\": \"text\", \"fields\": {\"raw\": {\"type\": \"keyword\"}}},\n"
            + "    \"price\": {\"type\": \"double\"},\n"
            + "    \"sku\": {\"type\": \"keyword\"},\n"
            + "    \"dims\": {\"properties\": {\"weight\": {\"type\": \"float\"}}}\n"
            + "  }}\n"
            + "}\n";

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @TempDir
    Path dir;

    private final List<String> indices = new ArrayList<>();

    @AfterEach
    void deleteIndices() {
        indices.forEach(OPENSEARCH.server()::deleteIndex);
    }

    @Test
    void aMissingIndexIsCreatedFromTheMappingFile() throws Exception {
        String index = index("bootstrap-it-create");
        Path file = Files.writeString(dir.resolve("products.json"), MAPPING);

        try (IndexBootstrap bootstrap = bootstrap()) {
            bootstrap.ensureIndex(index, IndexBootstrap.loadMapping(file.toString()));
        }

        OpenSearchServer server = OPENSEARCH.server();
        JsonNode properties = server.requestJson("GET", "/" + index + "/_mapping", null)
                .path(index).path("mappings").path("properties");
        assertThat(properties.path("price").path("type").asText()).isEqualTo("double");
        assertThat(properties.path("name").path("fields").path("raw").path("type").asText()).isEqualTo("keyword");
        assertThat(properties.path("dims").path("properties").path("weight").path("type").asText()).isEqualTo("float");
        assertThat(server.requestJson("GET", "/" + index + "/_settings", null)
                .path(index).path("settings").path("index").path("number_of_replicas").asText()).isEqualTo("0");
    }

    @Test
    void anIndexThatAgreesIsLeftAlone() throws Exception {
        String index = index("bootstrap-it-agrees");
        OpenSearchServer server = OPENSEARCH.server();
        try (IndexBootstrap bootstrap = bootstrap()) {
            bootstrap.ensureIndex(index, MAPPING);
            String uuid = uuid(index);
            // A field only the index has (added by dynamic mapping) is no disagreement.
            server.request("PUT", "/" + index + "/_doc/1?refresh=true", "{\"sku\":\"A-1\",\"colour\":\"red\"}");

            bootstrap.ensureIndex(index, MAPPING);

            assertThat(uuid(index)).isEqualTo(uuid);
        }
        assertThat(server.count(index)).isEqualTo(1);
    }

    @Test
    void anIndexThatDisagreesIsReportedFieldByFieldWithTheWayOut() throws Exception {
        String index = index("bootstrap-it-differs");
        OpenSearchServer server = OPENSEARCH.server();
        server.request("PUT", "/" + index, "{\"settings\":{\"number_of_replicas\":0},\"mappings\":{\"properties\":{"
                + "\"name\":{\"type\":\"text\"},\"price\":{\"type\":\"text\"},\"dims\":{\"properties\":{"
                + "\"weight\":{\"type\":\"long\"}}}}}}");
        String uuid = uuid(index);

        try (IndexBootstrap bootstrap = bootstrap()) {
            assertThatThrownBy(() -> bootstrap.ensureIndex(index, MAPPING))
                    .isInstanceOf(MappingConflictException.class)
                    .hasMessage("Index 'bootstrap-it-differs' exists with a mapping that disagrees with its mapping"
                            + " file:\n"
                            + "  - field 'dims.weight': index has 'long', mapping file has 'float'\n"
                            + "  - field 'name.raw': index has no such field, mapping file has 'keyword'\n"
                            + "  - field 'price': index has 'text', mapping file has 'double'\n"
                            + "  - field 'sku': index has no such field, mapping file has 'keyword'\n"
                            + "searchsync never changes the mapping of an existing index. To fix it, reindex into a"
                            + " new index created from the mapping file outside searchsync (then point an alias at"
                            + " it), or configure a new index name so that searchsync creates it.");
        }
        assertThat(uuid(index)).as("the index was not touched").isEqualTo(uuid);
    }

    @Test
    void withoutMappingTheIndexGetsDefaultsAndAWarning() throws Exception {
        String index = index("bootstrap-it-default");
        try (LogCapture capture = LogCapture.start(); IndexBootstrap bootstrap = bootstrap()) {
            bootstrap.ensureIndex(index, null);
            assertThat(capture.lines()).anyMatch(line -> line.startsWith(IndexBootstrap.class.getName()
                    + " - Index '" + index + "' created with default settings and no mapping: field types will"
                    + " follow the first documents indexed"));
            bootstrap.ensureIndex(index, null);
        }
        assertThat(OPENSEARCH.server().status("HEAD", "/" + index, null)).isEqualTo(200);
    }

    @Test
    void anUnreachableClusterIsNamed() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (IndexBootstrap bootstrap = new IndexBootstrap(TestConfigs.plain("http://127.0.0.1:" + port))) {
            assertThatThrownBy(() -> bootstrap.ensureIndex("anything", MAPPING))
                    .isInstanceOf(IndexBootstrapException.class)
                    .hasMessageStartingWith("Cannot reach OpenSearch at [http://127.0.0.1:" + port + "] for HEAD"
                            + " /anything: ")
                    .hasMessageContaining("Connection refused");
        }
    }

    @Test
    void invalidMappingJsonIsNamed() throws Exception {
        try (IndexBootstrap bootstrap = bootstrap()) {
            assertThatThrownBy(() -> bootstrap.ensureIndex("bootstrap-it-never", "{\"mappings\": "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("The mapping for index 'bootstrap-it-never' is not valid JSON: ");
        }
        assertThat(OPENSEARCH.server().status("HEAD", "/bootstrap-it-never", null)).isEqualTo(404);
    }

    private static IndexBootstrap bootstrap() {
        return new IndexBootstrap(TestConfigs.plain(OPENSEARCH.server().httpUrl()));
    }

    private static String uuid(String index) {
        return OPENSEARCH.server().requestJson("GET", "/" + index + "/_settings", null)
                .path(index).path("settings").path("index").path("uuid").asText();
    }

    private String index(String name) {
        indices.add(name);
        OPENSEARCH.server().deleteIndex(name);
        return name;
    }
}
