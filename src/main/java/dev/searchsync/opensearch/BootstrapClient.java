package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.http.HttpEntity;
import org.apache.http.util.EntityUtils;
import org.opensearch.client.Request;
import org.opensearch.client.Response;
import org.opensearch.client.ResponseException;
import org.opensearch.client.RestClient;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The bootstrap's REST calls, failing with errors that name the cluster, the request and OpenSearch's answer. */
final class BootstrapClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Body text quoted in errors is cut here: enough for OpenSearch's reason, not a whole page of HTML. */
    private static final int QUOTED_BODY = 1_000;

    private final RestClient client;
    private final String where;

    /** A client with the same hosts, TLS and authentication as the sink. */
    BootstrapClient(OpenSearchConfig config) {
        this.client = OpenSearchSinks.restClient(config).build();
        this.where = config.endpoints().toString();
    }

    /** True when HEAD {@code path} answers 200 (the REST client answers 404 to HEAD without throwing). */
    boolean exists(String path) {
        return send("HEAD", path, null).getStatusLine().getStatusCode() == 200;
    }

    /** The answer to a JSON request; any status from 300 up is an {@link IndexBootstrapException}. */
    Response send(String method, String path, String jsonBody) {
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

    /** GET {@code path}, read as JSON. */
    JsonNode getJson(String path) {
        Response response = send("GET", path, null);
        try {
            return JSON.readTree(EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IndexBootstrapException("OpenSearch answered GET " + path + " with something other than JSON: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        client.close();
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
}
