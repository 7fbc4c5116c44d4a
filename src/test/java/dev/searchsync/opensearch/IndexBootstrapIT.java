package dev.searchsync.opensearch;

import dev.searchsync.config.ConfigReader;
import dev.searchsync.config.IndexConfig;
import dev.searchsync.config.PropertyGroups;
import dev.searchsync.it.Clusters;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;
import dev.searchsync.testlog.LogCapture;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Index bootstrap against a real OpenSearch: create from a mapping file, leave a matching index, refuse a different
 * one; keep an index template for indices created later, and an alias with one write index.
 */
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
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    @TempDir
    Path dir;

    private final List<String> indices = new ArrayList<>();
    private final List<String> templates = new ArrayList<>();

    @AfterEach
    void deleteIndicesAndTemplates() {
        indices.forEach(OPENSEARCH.server()::deleteIndex);
        templates.forEach(name -> OPENSEARCH.server().exchange("DELETE", "/_index_template/" + name, null));
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

    @Test
    void aTemplateIsPutAndAnIndexCreatedLaterByAWriteGetsItsMappings() throws Exception {
        String live = index("bootstrap-it-days-live");
        String day = index("bootstrap-it-days-2024.05.01");
        String template = template("searchsync-" + live);
        Path file = Files.writeString(dir.resolve("days.json"), MAPPING);
        OpenSearchServer server = OPENSEARCH.server();

        try (LogCapture capture = LogCapture.start(); IndexBootstrap bootstrap = bootstrap()) {
            bootstrap.prepare(indexConfig("name", live, "mapping", file.toString(),
                    "template.patterns", "bootstrap-it-days-*"), live);
            assertThat(capture.lines()).anyMatch(line -> line.startsWith(IndexBootstrap.class.getName()
                    + " - Index template '" + template + "' created for indices matching [bootstrap-it-days-*]:"
                    + " settings and mappings from the mapping file;"));
        }

        JsonNode put = server.requestJson("GET", "/_index_template/" + template, null)
                .path("index_templates").path(0).path("index_template");
        assertThat(put.path("index_patterns").toString()).isEqualTo("[\"bootstrap-it-days-*\"]");
        assertThat(put.path("_meta").path("managed_by").asText()).isEqualTo("searchsync");
        assertThat(server.status("HEAD", "/" + live, null)).as("left to the template and the first document")
                .isEqualTo(404);

        // A string would be mapped as text by dynamic mapping: double and keyword come from the template.
        server.request("PUT", "/" + day + "/_doc/1?refresh=true", "{\"price\":\"12.5\",\"sku\":\"A-1\"}");
        JsonNode properties = properties(day);
        assertThat(properties.path("price").path("type").asText()).isEqualTo("double");
        assertThat(properties.path("sku").path("type").asText()).isEqualTo("keyword");
        assertThat(server.requestJson("GET", "/" + day + "/_settings", null)
                .path(day).path("settings").path("index").path("number_of_replicas").asText()).isEqualTo("0");
    }

    @Test
    void restartingWithAChangedMappingFileReplacesTheTemplateForIndicesCreatedAfterwards() throws Exception {
        String live = index("bootstrap-it-restart-live");
        String before = index("bootstrap-it-restart-1");
        String after = index("bootstrap-it-restart-2");
        String template = template("bootstrap-it-restart");
        Path file = Files.writeString(dir.resolve("restart.json"), MAPPING);
        IndexConfig config = indexConfig("name", live, "mapping", file.toString(),
                "template.patterns", "bootstrap-it-restart-*", "template.name", template);
        OpenSearchServer server = OPENSEARCH.server();
        try (IndexBootstrap bootstrap = bootstrap()) {
            bootstrap.prepare(config, live);
        }
        server.request("PUT", "/" + before + "/_doc/1?refresh=true", "{\"sku\":\"A-1\"}");

        Files.writeString(file, MAPPING.replace("\"sku\": {\"type\": \"keyword\"},",
                "\"sku\": {\"type\": \"keyword\"},\n    \"colour\": {\"type\": \"keyword\"},"));
        try (LogCapture capture = LogCapture.start(); IndexBootstrap bootstrap = bootstrap()) {
            bootstrap.prepare(config, live);
            assertThat(capture.lines()).anyMatch(line -> line.startsWith(IndexBootstrap.class.getName()
                    + " - Index template '" + template + "' replaced for indices matching"));
        }
        assertThat(server.requestJson("GET", "/_index_template/" + template, null).path("index_templates").path(0)
                .path("index_template").path("template").path("mappings").path("properties").path("colour")
                .path("type").asText()).isEqualTo("keyword");

        server.request("PUT", "/" + after + "/_doc/1?refresh=true", "{\"sku\":\"A-2\"}");
        assertThat(properties(after).path("colour").path("type").asText()).isEqualTo("keyword");
        assertThat(properties(before).has("colour")).as("an existing index keeps its mapping").isFalse();
    }

    @Test
    void anAliasIsCreatedWithItsIndexAndTheSinkWritesThroughIt() throws Exception {
        String index = index("bootstrap-it-orders-v1");
        String alias = "bootstrap-it-orders";
        Path file = Files.writeString(dir.resolve("orders.json"), SigV4SinkIT.MAPPING);
        IndexConfig config = indexConfig("name", index, "alias", alias, "mapping", file.toString());
        try (IndexBootstrap bootstrap = bootstrap()) {
            bootstrap.prepare(config, index);
        }
        OpenSearchServer server = OPENSEARCH.server();
        assertThat(server.requestJson("GET", "/_alias/" + alias, null).toString()).isEqualTo("{\"" + index
                + "\":{\"aliases\":{\"" + alias + "\":{\"is_write_index\":true}}}}");
        assertThat(properties(index).path("qty").path("type").asText()).isEqualTo("long");

        assertThat(config.writeTarget(null)).isEqualTo(alias);
        SinkJobs.run(TestConfigs.plain(server.httpUrl()), "bootstrap-it-alias",
                SigV4SinkIT.documents(config.writeTarget(null), 10));

        server.refresh(index);
        assertThat(server.count(index)).isEqualTo(10);
        try (LogCapture capture = LogCapture.start(); IndexBootstrap bootstrap = bootstrap()) {
            bootstrap.prepare(config, index);
            assertThat(capture.lines()).contains(IndexBootstrap.class.getName() + " - Alias '" + alias
                    + "' writes to index '" + index + "'");
        }
    }

    @Test
    void indicesTheTemplateAddsToTheAliasDoNotTakeItsWrites() throws Exception {
        String first = index("bootstrap-it-events-000001");
        String day = index("bootstrap-it-events-2024.05.02");
        String alias = "bootstrap-it-events";
        template("searchsync-" + first);
        Path file = Files.writeString(dir.resolve("events.json"), MAPPING);
        IndexConfig config = indexConfig("name", first, "alias", alias, "mapping", file.toString(),
                "template.patterns", "bootstrap-it-events-*");
        try (IndexBootstrap bootstrap = bootstrap()) {
            bootstrap.prepare(config, first);
        }
        OpenSearchServer server = OPENSEARCH.server();
        server.request("PUT", "/" + day + "/_doc/1?refresh=true", "{\"sku\":\"D-1\"}");
        server.request("PUT", "/" + alias + "/_doc/2?refresh=true", "{\"sku\":\"W-1\"}");

        JsonNode aliases = server.requestJson("GET", "/_alias/" + alias, null);
        assertThat(aliases.path(day).path("aliases").has(alias)).as("the template added the day").isTrue();
        assertThat(server.count(first)).isEqualTo(1);
        assertThat(server.count(day)).isEqualTo(1);
        assertThat(server.count(alias)).as("reading through the alias sees both").isEqualTo(2);
        try (IndexBootstrap bootstrap = bootstrap()) {
            bootstrap.prepare(config, first);
        }
    }

    @Test
    void anExistingIndexGetsTheAliasAndAnAliasOfOneUnmarkedIndexIsMarked() throws Exception {
        String index = index("bootstrap-it-existing");
        OpenSearchServer server = OPENSEARCH.server();
        server.request("PUT", "/" + index, MAPPING);
        String uuid = uuid(index);
        try (IndexBootstrap bootstrap = bootstrap()) {
            assertThat(bootstrap.ensureWriteAlias("bootstrap-it-existing-added", index, MAPPING)).isEqualTo(index);
        }
        assertThat(uuid(index)).isEqualTo(uuid);
        assertThat(server.requestJson("GET", "/_alias/bootstrap-it-existing-added", null).path(index)
                .path("aliases").path("bootstrap-it-existing-added").path("is_write_index").asBoolean()).isTrue();

        server.request("POST", "/_aliases", "{\"actions\":[{\"add\":{\"index\":\"" + index
                + "\",\"alias\":\"bootstrap-it-existing-plain\"}}]}");
        try (IndexBootstrap bootstrap = bootstrap()) {
            assertThat(bootstrap.ensureWriteAlias("bootstrap-it-existing-plain", "bootstrap-it-other", MAPPING))
                    .isEqualTo(index);
        }
        assertThat(server.requestJson("GET", "/_alias/bootstrap-it-existing-plain", null).path(index)
                .path("aliases").path("bootstrap-it-existing-plain").path("is_write_index").asBoolean()).isTrue();
        assertThat(server.status("HEAD", "/bootstrap-it-other", null)).isEqualTo(404);
    }

    @Test
    void anAliasWithoutAWriteIndexStopsTheJobNamingIt() throws Exception {
        String alias = "bootstrap-it-nowrite";
        OpenSearchServer server = OPENSEARCH.server();
        for (String index : List.of(index("bootstrap-it-nowrite-b"), index("bootstrap-it-nowrite-a"))) {
            server.request("PUT", "/" + index, "{\"aliases\":{\"" + alias + "\":{}}}");
        }

        try (IndexBootstrap bootstrap = bootstrap()) {
            assertThatThrownBy(() -> bootstrap.prepare(indexConfig("name", "bootstrap-it-nowrite-c", "alias", alias),
                    "bootstrap-it-nowrite-c"))
                    .isInstanceOf(WriteAliasException.class)
                    .hasMessage("Alias 'bootstrap-it-nowrite' (property group 'index', key 'alias') points to"
                            + " [bootstrap-it-nowrite-a, bootstrap-it-nowrite-b] and none of them is its write"
                            + " index, so documents written through it would be refused. Mark the index that should"
                            + " take them with \"is_write_index\": true (POST _aliases), or configure another"
                            + " alias.");
        }
        assertThat(server.status("HEAD", "/bootstrap-it-nowrite-c", null)).isEqualTo(404);
    }

    @Test
    void anAliasNamingAnIndexStopsTheJob() throws Exception {
        String taken = index("bootstrap-it-taken");
        OPENSEARCH.server().request("PUT", "/" + taken, null);

        try (IndexBootstrap bootstrap = bootstrap()) {
            assertThatThrownBy(() -> bootstrap.ensureWriteAlias(taken, "bootstrap-it-never", null))
                    .isInstanceOf(WriteAliasException.class)
                    .hasMessageStartingWith("'bootstrap-it-taken' (property group 'index', key 'alias') is the name"
                            + " of an existing index, not of an alias, expected an alias or a name nothing has yet");
        }
        assertThat(OPENSEARCH.server().status("HEAD", "/bootstrap-it-never", null)).isEqualTo(404);
    }

    private static JsonNode properties(String index) {
        return OPENSEARCH.server().requestJson("GET", "/" + index + "/_mapping", null)
                .path(index).path("mappings").path("properties");
    }

    /** Group {@code index} as the job reads it, from keys and values. */
    private static IndexConfig indexConfig(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        ConfigReader reader = new ConfigReader(PropertyGroups.of(Map.of("index", values)));
        IndexConfig config = IndexConfig.read(reader, null);
        reader.throwIfInvalid();
        return config;
    }

    private String template(String name) {
        templates.add(name);
        OPENSEARCH.server().exchange("DELETE", "/_index_template/" + name, null);
        return name;
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
