package dev.searchsync.opensearch;

import dev.searchsync.config.IndexConfig;
import dev.searchsync.config.IndexName;
import dev.searchsync.config.IndexOptions;
import dev.searchsync.config.OpenSearchConfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * Makes sure each target index exists with the mapping searchsync was given, before any document is written: an
 * index created by the first document would get guessed field types that no later mapping can change. It never
 * changes an existing index's mapping (no reindex, no update-by-query, no scripts); a disagreement stops the job
 * instead. It also keeps an index template, for indices created later, and the alias the job writes through.
 */
public final class IndexBootstrap implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IndexBootstrap.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Classpath folder searched by {@link #loadMapping} when the location is not a file. */
    public static final String TEMPLATE_FOLDER = "index-templates/";

    private final BootstrapClient client;

    /** A client with the same hosts, TLS and authentication as the sink. */
    public IndexBootstrap(OpenSearchConfig config) {
        this.client = new BootstrapClient(config);
    }

    /**
     * Everything group {@value IndexOptions#GROUP} asks for: the index template first (so that an index created
     * below gets it too), then the alias, or else the index. With template patterns that match {@code indexName}
     * and no alias, the index is left for OpenSearch to create from the template at the first document.
     */
    public void prepare(IndexConfig config, String indexName) {
        String mapping = config.mapping().map(IndexBootstrap::loadMapping).orElse(null);
        List<String> patterns = config.templatePatterns();
        if (!patterns.isEmpty()) {
            ensureTemplate(config.templateName(indexName), patterns, mapping, config.alias().orElse(null));
        }
        if (IndexName.parse(indexName).map(IndexName::isPattern).orElse(false)) {
            // One index per period (or log group), each created by the first bulk write to it, from the template.
            LOG.info("Index name '{}' is a pattern: indices are created on first write from template {}",
                    indexName, patterns);
            return;
        }
        if (config.alias().isPresent()) {
            ensureWriteAlias(config.alias().get(), indexName, mapping);
        } else if (IndexTemplate.matches(patterns, indexName)) {
            checkIfExists(indexName, mapping);
        } else {
            ensureIndex(indexName, mapping);
        }
    }

    /**
     * Creates {@code index} from {@code mappingJsonOrNull} (settings and mappings) when it is missing; when it
     * exists, checks that every field of the mapping has the same type in the index.
     *
     * @throws MappingConflictException listing each field whose type differs or that the index lacks
     * @throws IndexBootstrapException when OpenSearch cannot be reached or refuses a request
     */
    public void ensureIndex(String index, String mappingJsonOrNull) {
        JsonNode mapping = mappingJsonOrNull == null ? null : parseMapping("index '" + index + "'", mappingJsonOrNull);
        if (!client.exists("/" + index) && create(index, mappingJsonOrNull)) {
            if (mappingJsonOrNull == null) {
                LOG.warn("Index '{}' created with default settings and no mapping: field types will follow the"
                        + " first documents indexed (dynamic mapping) and cannot be changed later without a reindex",
                        index);
            } else {
                LOG.info("Index '{}' created from its mapping file", index);
            }
            return;
        }
        check(index, mapping);
    }

    /**
     * Writes (creates or replaces) the composable index template {@code name} for {@code patterns} from the
     * mapping and {@code aliasOrNull}, so that a changed mapping file reaches every index created from now on.
     * Indices that exist already keep their mappings.
     */
    public void ensureTemplate(String name, List<String> patterns, String mappingJsonOrNull, String aliasOrNull) {
        JsonNode mapping = mappingJsonOrNull == null
                ? null
                : parseMapping("index template '" + name + "'", mappingJsonOrNull);
        String path = "/_index_template/" + name;
        boolean existed = client.exists(path);
        client.send("PUT", path, IndexTemplate.body(patterns, mapping, aliasOrNull).toString());
        LOG.info("Index template '{}' {} for indices matching {}: {}{}; indices that exist already keep their"
                + " mappings", name, existed ? "replaced" : "created", patterns,
                mapping == null ? "no mapping file is configured, so it holds no settings or mappings"
                        : "settings and mappings from the mapping file",
                aliasOrNull == null ? "" : ", alias '" + aliasOrNull + "' for reading");
    }

    /**
     * Makes sure {@code alias} points to one write index: when neither it nor {@code index} exists, creates
     * {@code index} from the mapping as its write index; when only the index exists, adds the alias to it. The
     * write index is checked against the mapping like any existing index, and marked {@code is_write_index} so
     * that indices joining the alias later (through a template) do not take its writes away.
     *
     * @return the index that takes what is written through the alias
     * @throws WriteAliasException when the alias exists without a write index, or the name is an index's
     */
    public String ensureWriteAlias(String alias, String index, String mappingJsonOrNull) {
        JsonNode mapping = mappingJsonOrNull == null ? null : parseMapping("index '" + index + "'", mappingJsonOrNull);
        if (!client.exists("/_alias/" + alias)) {
            return addAlias(alias, index, mapping);
        }
        AliasState state = AliasState.of(alias, client.getJson("/_alias/" + alias));
        String writeIndex = state.writeIndex().orElseThrow(() -> new WriteAliasException("Alias '" + alias
                + "' (property group '" + IndexOptions.GROUP + "', key '" + IndexOptions.ALIAS.key() + "') points"
                + " to " + state.indices() + " and none of them is its write index, so documents written through it"
                + " would be refused. Mark the index that should take them with \"is_write_index\": true"
                + " (POST _aliases), or configure another alias."));
        check(writeIndex, mapping);
        if (!state.writeIndexMarked()) {
            markWriteIndex(writeIndex, alias);
            LOG.info("Alias '{}' points to its only index '{}': marked it is_write_index, so that indices joining the"
                    + " alias later do not take its writes", alias, writeIndex);
        }
        if (writeIndex.equals(index)) {
            LOG.info("Alias '{}' writes to index '{}'", alias, writeIndex);
        } else {
            LOG.info("Alias '{}' writes to index '{}', not to '{}' (index/name): documents go to '{}'", alias,
                    writeIndex, index, writeIndex);
        }
        return writeIndex;
    }

    /**
     * Reads a mapping: {@code location} as a file path, else the classpath resource
     * {@value #TEMPLATE_FOLDER}{@code location}.
     *
     * @throws IllegalArgumentException naming both places looked at, when neither exists
     */
    public static String loadMapping(String location) {
        Path file = asPath(location);
        try {
            if (file != null && Files.isRegularFile(file)) {
                return Files.readString(file, StandardCharsets.UTF_8);
            }
            String resource = TEMPLATE_FOLDER + (location.startsWith("/") ? location.substring(1) : location);
            try (InputStream in = classLoader().getResourceAsStream(resource)) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            throw new IllegalArgumentException("Mapping '" + location + "' not found: no file "
                    + (file == null ? "'" + location + "'" : file.toAbsolutePath()) + " and no classpath resource "
                    + resource);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read mapping '" + location + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
    }

    /** With no alias yet: the index becomes its write index, created now when it does not exist either. */
    private String addAlias(String alias, String index, JsonNode mapping) {
        if (client.exists("/" + alias)) {
            throw new WriteAliasException("'" + alias + "' (property group '" + IndexOptions.GROUP + "', key '"
                    + IndexOptions.ALIAS.key() + "') is the name of an existing index, not of an alias, expected an"
                    + " alias or a name nothing has yet (searchsync then creates index '" + index + "' as the"
                    + " alias's write index). To move the documents behind an alias, reindex them into a new index"
                    + " outside searchsync, delete the old one and add the alias to the new one.");
        }
        ObjectNode body = mapping == null ? JSON.createObjectNode() : mapping.deepCopy();
        body.withObject("/aliases").putObject(alias).put("is_write_index", true);
        if (!client.exists("/" + index) && create(index, body.toString())) {
            LOG.info("Index '{}' created from {} as the write index of alias '{}'", index,
                    mapping == null ? "default settings (no mapping file is configured)" : "its mapping file", alias);
            return index;
        }
        check(index, mapping);
        markWriteIndex(index, alias);
        LOG.info("Alias '{}' added to the existing index '{}' as its write index", alias, index);
        return index;
    }

    private void markWriteIndex(String index, String alias) {
        ObjectNode actions = JSON.createObjectNode();
        actions.putArray("actions").addObject().putObject("add")
                .put("index", index).put("alias", alias).put("is_write_index", true);
        client.send("POST", "/_aliases", actions.toString());
    }

    /** For an index OpenSearch creates from a template: checked when it exists, left to the first document if not. */
    private void checkIfExists(String index, String mappingJsonOrNull) {
        if (client.exists("/" + index)) {
            check(index, mappingJsonOrNull == null ? null : parseMapping("index '" + index + "'", mappingJsonOrNull));
        } else {
            LOG.info("Index '{}' does not exist yet: its name matches the index template, so OpenSearch creates it"
                    + " from the template at the first document", index);
        }
    }

    /** Stops when the existing {@code index} disagrees with {@code mappingOrNull}. */
    private void check(String index, JsonNode mappingOrNull) {
        if (mappingOrNull == null) {
            LOG.info("Index '{}' exists; no mapping file is configured for it, so its mapping is not checked", index);
            return;
        }
        List<String> disagreements = MappingFields.disagreements(MappingFields.of(currentMappings(index)),
                MappingFields.of(mappingOrNull.path("mappings")));
        if (!disagreements.isEmpty()) {
            throw new MappingConflictException(index, disagreements);
        }
        LOG.info("Index '{}' exists and agrees with its mapping file", index);
    }

    /** False when another process created the index in the meantime; then it is checked like any existing one. */
    private boolean create(String index, String body) {
        try {
            client.send("PUT", "/" + index, body);
            return true;
        } catch (IndexBootstrapException e) {
            if (e.getMessage().contains("resource_already_exists_exception")) {
                return false;
            }
            throw e;
        }
    }

    private JsonNode currentMappings(String index) {
        JsonNode answer = client.getJson("/" + index + "/_mapping");
        // Keyed by the concrete index name, which differs from the one asked for when that is an alias.
        Iterator<JsonNode> indices = answer.elements();
        return indices.hasNext() ? indices.next().path("mappings") : JSON.createObjectNode();
    }

    /** {@code what} names the index or template the mapping is for, in the error. */
    private static ObjectNode parseMapping(String what, String mappingJson) {
        try {
            JsonNode mapping = JSON.readTree(mappingJson);
            if (mapping == null || !mapping.isObject()) {
                throw new IllegalArgumentException("The mapping for " + what + " must be a JSON object"
                        + " with \"settings\" and/or \"mappings\"");
            }
            return (ObjectNode) mapping;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The mapping for " + what + " is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static Path asPath(String location) {
        try {
            return Path.of(location);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : IndexBootstrap.class.getClassLoader();
    }
}
