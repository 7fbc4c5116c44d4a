package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchConfig;
import dev.searchsync.it.Clusters;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testbed.OpenSearchServer;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.message.BasicHttpEntityEnclosingRequest;
import org.apache.http.protocol.BasicHttpContext;
import org.apache.http.protocol.HttpCoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * AWS_SIGV4 end to end: the bootstrap and the sink reach the real OpenSearch only through a proxy that recomputes
 * every signature from the request as received, with credentials found by the SDK's default chain.
 */
class SigV4SinkIT {
    static final String KEY_ID = "AKIASEARCHSYNCTEST01";
    static final String SECRET = "sigv4-right-secret-Zq8Xw2Lm5Np7Rt9";
    static final String REGION = "eu-west-1";
    static final String MAPPING = "{\"settings\":{\"number_of_replicas\":0},"
            + "\"mappings\":{\"properties\":{\"name\":{\"type\":\"text\"},\"qty\":{\"type\":\"long\"}}}}";

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    private final List<String> indices = new ArrayList<>();

    @AfterEach
    void deleteIndices() {
        indices.forEach(OPENSEARCH.server()::deleteIndex);
    }

    @Test
    void bootstrapAndSinkGetThroughForAmazonOpenSearchService() throws Exception {
        writesThroughTheSignatureCheck("es", index("sigv4-it-es"));
    }

    @Test
    void bootstrapAndSinkGetThroughForServerless() throws Exception {
        writesThroughTheSignatureCheck("aoss", index("sigv4-it-aoss"));
    }

    @Test
    @SuppressWarnings("try") // the resource only sets and restores the credentials
    void otherCredentialsAreRefusedAndTheFailureSaysSo() throws Exception {
        String index = index("sigv4-it-wrong");
        try (AuthCheckingProxy proxy = proxy("es");
                AwsTestCredentials wrong = AwsTestCredentials.use(KEY_ID, "sigv4-wrong-secret-Kd3Pq9Vb")) {
            OpenSearchConfig config = config(proxy, "es");
            try (IndexBootstrap bootstrap = new IndexBootstrap(config)) {
                assertThatThrownBy(() -> bootstrap.ensureIndex(index, MAPPING))
                        .isInstanceOf(IndexBootstrapException.class)
                        .hasMessage("OpenSearch at [" + proxy.url() + "] answered 403 Forbidden to HEAD /" + index
                                + " (check auth.type and the credentials of property group 'opensearch'): (no body)");
            }
            assertThatThrownBy(() -> SinkJobs.run(config, "sigv4-it-wrong", documents(index, 3)))
                    .satisfies(e -> assertThat(Failures.messages(e)).contains("403 Forbidden"));
            assertThat(proxy.accepted()).isZero();
            assertThat(proxy.rejections()).hasSizeGreaterThanOrEqualTo(2).allMatch(r -> r.endsWith(
                    "The request signature we calculated does not match the signature you provided"));
        }
        assertThat(OPENSEARCH.server().status("HEAD", "/" + index, null)).isEqualTo(404);
    }

    @Test
    void theProxyRefusesATamperedBodyThatASignedOneGetsThrough() throws Exception {
        String index = index("sigv4-it-tamper");
        OPENSEARCH.server().request("PUT", "/" + index, MAPPING);
        try (AuthCheckingProxy proxy = proxy("es")) {
            String path = "/" + index + "/_doc/x?refresh=true";
            String honest = "{\"name\":\"honest\",\"qty\":1}";
            List<String[]> headers = sign(proxy, path, honest);

            HttpResponse<String> tampered = send(proxy, path, headers, "{\"name\":\"tampered\",\"qty\":1}");
            assertThat(tampered.statusCode()).isEqualTo(403);
            assertThat(tampered.body()).contains("x-amz-content-sha256 does not match the body");
            assertThat(OPENSEARCH.server().status("GET", "/" + index + "/_doc/x", null)).isEqualTo(404);

            HttpResponse<String> signed = send(proxy, path, headers, honest);
            assertThat(signed.statusCode()).isEqualTo(201);
            assertThat(OPENSEARCH.server().get("/" + index + "/_doc/x")).contains("honest");
        }
    }

    @SuppressWarnings("try") // the resource only sets and restores the credentials
    private void writesThroughTheSignatureCheck(String service, String index) throws Exception {
        OpenSearchServer server = OPENSEARCH.server();
        try (AuthCheckingProxy proxy = proxy(service); AwsTestCredentials right = AwsTestCredentials.use(KEY_ID, SECRET)) {
            OpenSearchConfig config = config(proxy, service);
            try (IndexBootstrap bootstrap = new IndexBootstrap(config)) {
                bootstrap.ensureIndex(index, MAPPING);
                bootstrap.ensureIndex(index, MAPPING);
            }
            SinkJobs.run(config, "sigv4-it-" + service, documents(index, 20));

            assertThat(proxy.rejections()).isEmpty();
            assertThat(proxy.accepted()).as("HEAD, PUT, HEAD, GET _mapping and at least one bulk")
                    .isGreaterThanOrEqualTo(5);
        }
        server.refresh(index);
        assertThat(server.count(index)).isEqualTo(20);
        assertThat(server.get("/" + index + "/_mapping")).contains("\"qty\":{\"type\":\"long\"}");
    }

    static List<DocumentAction> documents(String index, int count) {
        List<DocumentAction> changes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            changes.add(SinkJobs.write(index, "doc-" + i, i + 1, "{\"name\":\"n" + i + "\",\"qty\":" + i + "}"));
        }
        return changes;
    }

    private static AuthCheckingProxy proxy(String service) throws Exception {
        return new AuthCheckingProxy(OPENSEARCH.server().httpUrl(), new SigV4Verifier(KEY_ID, SECRET, REGION, service));
    }

    static OpenSearchConfig config(AuthCheckingProxy proxy, String service) {
        return TestConfigs.opensearch("endpoint", proxy.url(), "auth.type", "AWS_SIGV4", "aws.region", REGION,
                "aws.service", service, "bulk.flush.interval.ms", "200");
    }

    /** The headers the interceptor adds for a PUT of {@code body}, as the REST client would send it. */
    private static List<String[]> sign(AuthCheckingProxy proxy, String path, String body) throws Exception {
        URI url = URI.create(proxy.url());
        HttpHost target = new HttpHost(url.getHost(), url.getPort(), "http");
        BasicHttpEntityEnclosingRequest request = new BasicHttpEntityEnclosingRequest("PUT", path);
        request.setEntity(new ByteArrayEntity(body.getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON));
        request.addHeader("Content-Type", "application/json");
        BasicHttpContext context = new BasicHttpContext();
        context.setAttribute(HttpCoreContext.HTTP_TARGET_HOST, target);
        new SigV4Interceptor(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)), REGION, "es")
                .process(request, context);
        List<String[]> headers = new ArrayList<>();
        for (Header header : request.getAllHeaders()) {
            headers.add(new String[] {header.getName(), header.getValue()});
        }
        return headers;
    }

    /** Sends with the given headers; Host is the one the JDK client sets itself, the same that was signed. */
    private static HttpResponse<String> send(AuthCheckingProxy proxy, String path, List<String[]> headers, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(proxy.url() + path))
                .PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        for (String[] header : headers) {
            if (!Set.of("host", "content-length").contains(header[0].toLowerCase(Locale.ROOT))) {
                request.header(header[0], header[1]);
            }
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String index(String name) {
        indices.add(name);
        OPENSEARCH.server().deleteIndex(name);
        return name;
    }
}
