package dev.searchsync.opensearch;

import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.protocol.HttpContext;
import org.apache.http.protocol.HttpCoreContext;
import org.apache.http.util.EntityUtils;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Signs every request of the OpenSearch REST client with AWS Signature Version 4, because Amazon OpenSearch
 * Service and Serverless authenticate each request by its signature. Added as the client's last interceptor so
 * it signs the headers as they will be sent (Host, Content-Length, Content-Type).
 */
public final class SigV4Interceptor implements HttpRequestInterceptor {
    private final AwsCredentialsProvider credentials;
    private final String region;
    private final String service;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    /**
     * @param credentials asked on every request, so rotated credentials (an assumed role) are picked up
     * @param service {@code es} or {@code aoss}
     */
    public SigV4Interceptor(AwsCredentialsProvider credentials, String region, String service) {
        this.credentials = Objects.requireNonNull(credentials);
        this.region = Objects.requireNonNull(region);
        this.service = Objects.requireNonNull(service);
    }

    @Override
    public void process(HttpRequest request, HttpContext context) throws IOException {
        HttpHost target = (HttpHost) context.getAttribute(HttpCoreContext.HTTP_TARGET_HOST);
        if (target == null) {
            throw new IOException("cannot sign " + request.getRequestLine() + ": the client gave no target host");
        }
        byte[] body = bufferBody(request);
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.getRequestLine().getMethod()))
                .uri(targetUri(target, request.getRequestLine().getUri()));
        for (Header header : request.getAllHeaders()) {
            unsigned.appendHeader(header.getName(), header.getValue());
        }
        // The signer always adds and signs x-amz-content-sha256 (the body's hash); Serverless (aoss) requires it,
        // the classic service accepts it.
        SignedRequest signed;
        try {
            signed = signer.sign(r -> r
                    .identity(credentials.resolveCredentials())
                    .request(unsigned.build())
                    .payload(body == null ? null : ContentStreamProvider.fromByteArrayUnsafe(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region));
        } catch (RuntimeException e) {
            // An I/O failure is what the REST client reports per request; anything else could reach its I/O thread.
            throw new IOException("Cannot sign " + request.getRequestLine().getMethod() + " " + target.toURI()
                    + " with AWS SigV4 (service " + service + ", region " + region + "): " + e.getMessage(), e);
        }
        for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
            request.removeHeaders(header.getKey());
            for (String value : header.getValue()) {
                request.addHeader(header.getKey(), value);
            }
        }
    }

    /**
     * The body's bytes, which the signature must cover. A repeatable entity (the REST client's byte arrays) is
     * read without being used up; any other one is replaced by a copy of what was read.
     */
    private static byte[] bufferBody(HttpRequest request) throws IOException {
        if (!(request instanceof HttpEntityEnclosingRequest)) {
            return null;
        }
        HttpEntityEnclosingRequest enclosing = (HttpEntityEnclosingRequest) request;
        HttpEntity entity = enclosing.getEntity();
        if (entity == null) {
            return null;
        }
        byte[] bytes = EntityUtils.toByteArray(entity);
        if (!entity.isRepeatable()) {
            ByteArrayEntity copy = new ByteArrayEntity(bytes);
            copy.setContentType(entity.getContentType());
            copy.setContentEncoding(entity.getContentEncoding());
            enclosing.setEntity(copy);
        }
        return bytes;
    }

    /** The request line holds only path and query (or an absolute URI); the signature needs the full URL. */
    static URI targetUri(HttpHost target, String requestUri) {
        URI uri = URI.create(requestUri);
        if (uri.isAbsolute()) {
            return uri;
        }
        return URI.create(target.toURI() + (requestUri.startsWith("/") ? "" : "/") + requestUri);
    }
}
