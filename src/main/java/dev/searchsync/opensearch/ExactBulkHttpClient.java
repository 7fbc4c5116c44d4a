package dev.searchsync.opensearch;

import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpException;
import org.apache.http.HttpRequest;
import org.apache.http.concurrent.FutureCallback;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.nio.client.CloseableHttpAsyncClient;
import org.apache.http.impl.nio.client.HttpAsyncClientBuilder;
import org.apache.http.message.BasicHttpEntityEnclosingRequest;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.apache.http.nio.protocol.BasicAsyncRequestProducer;
import org.apache.http.nio.protocol.HttpAsyncRequestProducer;
import org.apache.http.nio.protocol.HttpAsyncResponseConsumer;
import org.apache.http.protocol.HttpContext;
import org.apache.http.util.EntityUtils;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;

/**
 * The HTTP client under the OpenSearch REST client, wrapped so that each {@code _bulk} body is sent with the exact
 * numbers {@link ExactNumbers} protected. It works on the request producer because an interceptor cannot: the async
 * client streams the entity its producer captured, whatever an interceptor sets later. Interceptors (SigV4 among
 * them) then see and sign the restored body. A body without any mark (no document in it needed protecting) passes
 * unchanged.
 */
final class ExactBulkHttpClient extends CloseableHttpAsyncClient {
    private final CloseableHttpAsyncClient delegate;

    private ExactBulkHttpClient(CloseableHttpAsyncClient delegate) {
        this.delegate = delegate;
    }

    /** A builder that builds what {@code configured} would, wrapped, over a client that retries bulks. */
    static HttpAsyncClientBuilder wrapping(HttpAsyncClientBuilder configured, BulkRetryPolicy retries) {
        return new HttpAsyncClientBuilder() {
            @Override
            public CloseableHttpAsyncClient build() {
                return new ExactBulkHttpClient(new RetryingBulkHttpClient(configured.build(), retries));
            }
        };
    }

    @Override
    public <T> Future<T> execute(HttpAsyncRequestProducer producer, HttpAsyncResponseConsumer<T> consumer,
            HttpContext context, FutureCallback<T> callback) {
        HttpAsyncRequestProducer sent = producer;
        try {
            sent = restored(producer);
        } catch (IOException | HttpException e) {
            throw new IllegalStateException("Could not prepare a bulk request body: " + e.getMessage(), e);
        }
        return delegate.execute(sent, consumer, context, callback);
    }

    private static HttpAsyncRequestProducer restored(HttpAsyncRequestProducer producer)
            throws IOException, HttpException {
        HttpRequest request = producer.generateRequest();
        if (!BulkActions.isPlainBulk(request)) {
            return producer;
        }
        HttpEntity entity = ((HttpEntityEnclosingRequest) request).getEntity();
        if (!MarkScan.finds(entity)) {
            return producer; // no document was protected: the body is sent as the client built it
        }
        BasicHttpEntityEnclosingRequest copy = new BasicHttpEntityEnclosingRequest(request.getRequestLine());
        copy.setHeaders(request.getAllHeaders());
        copy.setEntity(new NByteArrayEntity(ExactBulkBodies.restore(EntityUtils.toByteArray(entity)),
                ContentType.get(entity) == null ? ContentType.APPLICATION_JSON : ContentType.get(entity)));
        return new BasicAsyncRequestProducer(producer.getTarget(), copy);
    }

    /** Looks for the mark in an entity as it is written out, so a body without one is neither copied nor parsed. */
    private static final class MarkScan extends OutputStream {
        private static final byte[] MARK = String.valueOf(ExactNumbers.MARK).getBytes(StandardCharsets.UTF_8);
        private int matched;
        private boolean found;

        static boolean finds(HttpEntity entity) throws IOException {
            MarkScan scan = new MarkScan();
            entity.writeTo(scan); // the client's NByteArrayEntity hands over its own array, uncopied
            return scan.found;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length && !found; i++) {
                // The mark's first byte never recurs within it, so a failed match restarts at this byte.
                matched = bytes[i] == MARK[matched] ? matched + 1 : bytes[i] == MARK[0] ? 1 : 0;
                found = matched == MARK.length;
            }
        }
    }

    @Override
    public boolean isRunning() {
        return delegate.isRunning();
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }
}
