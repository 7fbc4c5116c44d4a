package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchConfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.connector.opensearch.sink.RestClientFactory;
import org.apache.http.HttpEntity;
import org.apache.http.util.EntityUtils;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;
import org.opensearch.client.RestClientBuilder;
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
import java.util.Optional;

/**
 * Makes sure each target index exists with the mapping searchsync was given, before any document is written: an
 * index created by the first document would get guessed field types that no later mapping can change. It never
 * changes an existing index (no reindex, no update-by-query, no scripts); a disagreement stops the job instead.
 */
public final class IndexBootstrap implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IndexBootstrap.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Body text quoted in errors is cut here: enough for OpenSearch's reason, not a whole page of HTML. */
    private static final int QUOTED_BODY = 1_000;

    /** Classpath folder searched by {@link #loadMapping} when the location is not a file. */
    public static final String TEMPLATE_FOLDER = "index-templates/";

    private final RestClient client;
    private final String where;

    /** A client with the same hosts, TLS and authentication as the sink. */
    public IndexBootstrap(OpenSearchConfig config) {
        RestClientBuilder builder = RestClient.builder(OpenSearchSinks.hosts(config));
        new AuthenticatingRestClientFactory(config).configureRestClientBuilder(builder, NoConnectorSettings.INSTANCE);
        this.client = builder.build();
        this.where = config.endpoints().toString();
    }

    /**
     * Creates {@code index} from {@code mappingJsonOrNull} (settings and mappings) when it is missing; when it
     * exists, checks that every field of the mapping has the same type in the index.
     *
     * @throws MappingConflictException listing each field whose type differs or that the index lacks
     * @throws IndexBootstrapException when OpenSearch cannot be reached or refuses a request
     */
    public void ensureIndex(String index, String mappingJsonOrNull) {
        JsonNode mapping = mappingJsonOrNull == null ? null : parseMapping(index, mappingJsonOrNull);
        if (!exists(index) && create(index, mappingJsonOrNull)) {
            return;
        }
        if (mapping == null) {
            LOG.info("Index '{}' exists; no mapping file is configured for it, so its mapping is not checked", index);
            return;
        }
        List<String> disagreements = MappingFields.disagreements(MappingFields.of(currentMappings(index)),
                MappingFields.of(mapping.path("mappings")));
        if (!disagreements.isEmpty()) {
            throw new MappingConflictException(index, disagreements);
        }
        LOG.info("Index '{}' exists and agrees with its mapping file", index);
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

    private boolean exists(String index) {
        // The REST client answers 404 to HEAD without throwing.
        return send("HEAD", "/" + index, null).getStatusLine().getStatusCode() == 200;
    }

    /** False when another process created the index in the meantime; then it is checked like any existing one. */
    private boolean create(String index, String body) {
        try {
            send("PUT", "/" + index, body);
        } catch (IndexBootstrapException e) {
            if (e.getMessage().contains("resource_already_exists_exception")) {
                return false;
            }
            throw e;
        }
        if (body == null) {
            LOG.warn("Index '{}' created with default settings and no mapping: field types will follow the first"
                    + " documents indexed (dynamic mapping) and cannot be changed later without a reindex", index);
        } else {
            LOG.info("Index '{}' created from its mapping file", index);
        }
        return true;
    }

    private JsonNode currentMappings(String index) {
        JsonNode answer = readJson(send("GET", "/" + index + "/_mapping", null), "GET /" + index + "/_mapping");
        // Keyed by the concrete index name, which differs from the one asked for when that is an alias.
        Iterator<JsonNode> indices = answer.elements();
        return indices.hasNext() ? indices.next().path("mappings") : JSON.createObjectNode();
    }

    private Response send(String method, String path, String jsonBody) {
        Request request = new Request(method, path);
        if (jsonBody != null) {
            request.setJsonEntity(jsonBody);
        }
        try {
            return client.performRequest(request);
        } catch (ResponseException e) {
            Response response = e.getResponse();
            int status = response.getStatusLine().getStatusCode();
            throw new IndexBootstrapException("OpenSearch at " + where + " answered " + status + " "
                    + response.getStatusLine().getReasonPhrase() + " to " + method + " " + path
                    + (status == 401 || status == 403 ? " (check auth.type and the credentials of property group"
                            + " 'opensearch')" : "")
                    + ": " + quote(response.getEntity()), e);
        } catch (IOException e) {
            throw new IndexBootstrapException("Cannot reach OpenSearch at " + where + " for " + method + " " + path
                    + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode parseMapping(String index, String mappingJson) {
        try {
            JsonNode mapping = JSON.readTree(mappingJson);
            if (mapping == null || !mapping.isObject()) {
                throw new IllegalArgumentException("The mapping for index '" + index + "' must be a JSON object"
                        + " with \"settings\" and/or \"mappings\"");
            }
            return mapping;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("The mapping for index '" + index + "' is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static JsonNode readJson(Response response, String what) {
        try {
            return JSON.readTree(EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IndexBootstrapException("OpenSearch answered " + what + " with something other than JSON: "
                    + e.getMessage(), e);
        }
    }

    private static String quote(HttpEntity entity) {
        if (entity == null) {
            return "(no body)";
        }
        try {
            String body = EntityUtils.toString(entity, StandardCharsets.UTF_8);
            return body.length() <= QUOTED_BODY ? body : body.substring(0, QUOTED_BODY) + "...";
        } catch (IOException e) {
            return "(body unreadable: " + e.getMessage() + ")";
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

    /** The connector's own client settings, which the bootstrap does not use (it has none to give). */
    private enum NoConnectorSettings implements RestClientFactory.RestClientConfig {
        INSTANCE;

        @Override
        public String getUsername() {
            return null;
        }

        @Override
        public String getPassword() {
            return null;
        }

        @Override
        public Integer getConnectionRequestTimeout() {
            return null;
        }

        @Override
        public Integer getConnectionTimeout() {
            return null;
        }

        @Override
        public Integer getSocketTimeout() {
            return null;
        }

        @Override
        public String getConnectionPathPrefix() {
            return null;
        }

        @Override
        public Optional<Boolean> isAllowInsecure() {
            return Optional.empty();
        }
    }
}
