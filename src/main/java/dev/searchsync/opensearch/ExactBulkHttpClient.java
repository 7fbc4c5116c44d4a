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
import java.util.concurrent.Future;

/**
 * The HTTP client under the OpenSearch REST client, wrapped so that each {@code _bulk} body is sent with the exact
 * numbers {@link ExactNumbers} protected. It works on the request producer because an interceptor cannot: the async
 * client streams the entity its producer captured, whatever an interceptor sets later. Interceptors (SigV4 among
 * them) then see and sign the restored body.
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
        BasicHttpEntityEnclosingRequest copy = new BasicHttpEntityEnclosingRequest(request.getRequestLine());
        copy.setHeaders(request.getAllHeaders());
        copy.setEntity(new NByteArrayEntity(ExactBulkBodies.restore(EntityUtils.toByteArray(entity)),
                ContentType.get(entity) == null ? ContentType.APPLICATION_JSON : ContentType.get(entity)));
        return new BasicAsyncRequestProducer(producer.getTarget(), copy);
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
