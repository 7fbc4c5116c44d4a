package dev.searchsync.opensearch;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.InputStreamEntity;
import org.apache.http.message.BasicHttpEntityEnclosingRequest;
import org.apache.http.message.BasicHttpRequest;
import org.apache.http.protocol.BasicHttpContext;
import org.apache.http.protocol.HttpContext;
import org.apache.http.protocol.HttpCoreContext;
import org.apache.http.util.EntityUtils;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The interceptor's signatures pass an independent SigV4 check, and that check is real: any change to what was
 * signed (body, path, query, a signed header) or a different secret key is refused.
 */
class SigV4InterceptorTest {
    private static final String KEY_ID = "AKIDEXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static final HttpHost TARGET = new HttpHost("search.example.com", -1, "https");
    private static final String BODY = "{\"index\":{\"_index\":\"products\",\"_id\":\"a\"}}\n{\"name\":\"kettle\"}\n";

    private final SigV4Interceptor es = interceptor(SECRET, "es");
    private final SigV4Verifier verifier = new SigV4Verifier(KEY_ID, SECRET, "eu-west-1", "es");

    @Test
    void aSignedRequestPassesTheIndependentCheck() throws Exception {
        ReceivedRequest signed = signAndReceive(es, "POST", "/products/_bulk?timeout=1m&refresh=false", BODY);
        assertThat(verifier.check(signed)).isNull();
        assertThat(signed.header("authorization"))
                .startsWith("AWS4-HMAC-SHA256 Credential=" + KEY_ID + "/")
                .contains("/eu-west-1/es/aws4_request");
    }

    @Test
    void anEncodedPathAndARequestWithoutBodyAreSignedAsAwsExpects() throws Exception {
        assertThat(verifier.check(signAndReceive(es, "GET", "/products/_doc/a%20b%2Fc%C3%BC", null))).isNull();
        assertThat(verifier.check(signAndReceive(es, "HEAD", "/products", null))).isNull();
    }

    @Test
    void aTamperedBodyIsRefusedEvenWithAMatchingHashHeader() throws Exception {
        ReceivedRequest signed = signAndReceive(es, "POST", "/products/_bulk", BODY);
        byte[] tampered = BODY.replace("kettle", "kettlf").getBytes(StandardCharsets.UTF_8);

        ReceivedRequest sameHeaders = new ReceivedRequest(signed.method(), signed.rawPath(), signed.rawQuery(),
                signed.headers(), tampered);
        assertThat(verifier.check(sameHeaders).reason()).isEqualTo("x-amz-content-sha256 does not match the body");

        Map<String, List<String>> rehashed = new LinkedHashMap<>(signed.headers());
        rehashed.put("x-amz-content-sha256", List.of(sha256Hex(tampered)));
        ReceivedRequest forged = new ReceivedRequest(signed.method(), signed.rawPath(), signed.rawQuery(), rehashed,
                tampered);
        assertThat(verifier.check(forged).reason())
                .isEqualTo("The request signature we calculated does not match the signature you provided");
    }

    @Test
    void aTamperedPathQueryOrHeaderIsRefused() throws Exception {
        ReceivedRequest signed = signAndReceive(es, "POST", "/products/_bulk?refresh=false", BODY);
        List<ReceivedRequest> tampered = List.of(
                new ReceivedRequest("PUT", signed.rawPath(), signed.rawQuery(), signed.headers(), signed.body()),
                new ReceivedRequest(signed.method(), "/other/_bulk", signed.rawQuery(), signed.headers(), signed.body()),
                new ReceivedRequest(signed.method(), signed.rawPath(), "refresh=true", signed.headers(), signed.body()),
                new ReceivedRequest(signed.method(), signed.rawPath(), signed.rawQuery(),
                        with(signed.headers(), "content-type", "text/plain"), signed.body()));
        for (ReceivedRequest request : tampered) {
            assertThat(verifier.check(request)).as(request.method() + " " + request.rawPath() + "?" + request.rawQuery())
                    .isNotNull();
        }
    }

    @Test
    void anotherSecretKeyIsRefused() throws Exception {
        ReceivedRequest signed = signAndReceive(interceptor("not-the-secret", "es"), "POST", "/products/_bulk", BODY);
        assertThat(verifier.check(signed).status()).isEqualTo(403);
    }

    @Test
    void serverlessSignaturesNameAossAndSignTheContentHash() throws Exception {
        ReceivedRequest signed = signAndReceive(interceptor(SECRET, "aoss"), "POST", "/products/_bulk", BODY);
        assertThat(new SigV4Verifier(KEY_ID, SECRET, "eu-west-1", "aoss").check(signed)).isNull();
        assertThat(signed.header("authorization")).contains("/eu-west-1/aoss/aws4_request")
                .contains("x-amz-content-sha256");
        assertThat(signed.header("x-amz-content-sha256")).isEqualTo(sha256Hex(BODY.getBytes(StandardCharsets.UTF_8)));
        assertThat(verifier.check(signed).reason()).isEqualTo("credential scope names region eu-west-1 and service aoss");
    }

    @Test
    void aStreamedBodyIsBufferedAndStillSent() throws Exception {
        BasicHttpEntityEnclosingRequest request = new BasicHttpEntityEnclosingRequest("POST", "/products/_bulk");
        request.setEntity(new InputStreamEntity(new ByteArrayInputStream(BODY.getBytes(StandardCharsets.UTF_8)),
                ContentType.APPLICATION_JSON));
        request.addHeader("Host", TARGET.toHostString());

        es.process(request, context());

        HttpEntity sent = request.getEntity();
        assertThat(sent.isRepeatable()).isTrue();
        assertThat(EntityUtils.toString(sent, StandardCharsets.UTF_8)).isEqualTo(BODY);
        assertThat(sent.getContentType().getValue()).startsWith("application/json");
        assertThat(verifier.check(received(request))).isNull();
    }

    @Test
    void missingCredentialsFailTheRequestAsAnIoError() {
        SigV4Interceptor noCredentials = new SigV4Interceptor(() -> {
            throw new IllegalStateException("no credentials anywhere");
        }, "eu-west-1", "es");
        BasicHttpRequest request = new BasicHttpRequest("GET", "/");
        assertThatThrownBy(() -> noCredentials.process(request, context()))
                .isInstanceOf(IOException.class)
                .hasMessage("Cannot sign GET https://search.example.com with AWS SigV4 (service es, region eu-west-1):"
                        + " no credentials anywhere");
    }

    @Test
    void targetUriJoinsHostAndRequestLine() {
        assertThat(SigV4Interceptor.targetUri(new HttpHost("127.0.0.1", 9200, "http"), "/a/_doc/x%2Fy?refresh=true"))
                .isEqualTo(URI.create("http://127.0.0.1:9200/a/_doc/x%2Fy?refresh=true"));
        assertThat(SigV4Interceptor.targetUri(TARGET, "https://other.example.com/x"))
                .isEqualTo(URI.create("https://other.example.com/x"));
    }

    private static SigV4Interceptor interceptor(String secret, String service) {
        return new SigV4Interceptor(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, secret)),
                "eu-west-1", service);
    }

    /** Signs as the REST client's pipeline would (Host and Content-Length already set) and returns what is sent. */
    private static ReceivedRequest signAndReceive(SigV4Interceptor interceptor, String method, String uri, String body)
            throws Exception {
        HttpRequest request;
        if (body == null) {
            request = new BasicHttpRequest(method, uri);
        } else {
            BasicHttpEntityEnclosingRequest enclosing = new BasicHttpEntityEnclosingRequest(method, uri);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            enclosing.setEntity(new ByteArrayEntity(bytes, ContentType.APPLICATION_JSON));
            enclosing.addHeader("Content-Type", ContentType.APPLICATION_JSON.toString());
            enclosing.addHeader("Content-Length", String.valueOf(bytes.length));
            request = enclosing;
        }
        request.addHeader("Host", TARGET.toHostString());
        request.addHeader("Connection", "Keep-Alive");
        request.addHeader("User-Agent", "Apache-HttpAsyncClient/4.1.5 (Java/17)");
        interceptor.process(request, context());
        return received(request);
    }

    private static ReceivedRequest received(HttpRequest request) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (Header header : request.getAllHeaders()) {
            headers.computeIfAbsent(header.getName().toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                    .add(header.getValue());
        }
        URI uri = URI.create(request.getRequestLine().getUri());
        byte[] body = request instanceof BasicHttpEntityEnclosingRequest
                ? EntityUtils.toByteArray(((BasicHttpEntityEnclosingRequest) request).getEntity())
                : new byte[0];
        return new ReceivedRequest(request.getRequestLine().getMethod(), uri.getRawPath(), uri.getRawQuery(), headers,
                body);
    }

    private static HttpContext context() {
        HttpContext context = new BasicHttpContext();
        context.setAttribute(HttpCoreContext.HTTP_TARGET_HOST, TARGET);
        return context;
    }

    private static Map<String, List<String>> with(Map<String, List<String>> headers, String name, String value) {
        Map<String, List<String>> copy = new LinkedHashMap<>(headers);
        copy.put(name, List.of(value));
        return copy;
    }

    private static String sha256Hex(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
