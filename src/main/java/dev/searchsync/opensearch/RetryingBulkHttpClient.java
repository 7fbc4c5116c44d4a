package dev.searchsync.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpException;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.RequestLine;
import org.apache.http.concurrent.BasicFuture;
import org.apache.http.concurrent.FutureCallback;
import org.apache.http.entity.ContentType;
import org.apache.http.impl.nio.client.CloseableHttpAsyncClient;
import org.apache.http.impl.nio.client.HttpAsyncClientBuilder;
import org.apache.http.message.BasicHttpEntityEnclosingRequest;
import org.apache.http.message.BasicHttpResponse;
import org.apache.http.nio.ContentDecoder;
import org.apache.http.nio.IOControl;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.apache.http.nio.protocol.BasicAsyncRequestProducer;
import org.apache.http.nio.protocol.BasicAsyncResponseConsumer;
import org.apache.http.nio.protocol.HttpAsyncRequestProducer;
import org.apache.http.nio.protocol.HttpAsyncResponseConsumer;
import org.apache.http.protocol.HttpContext;
import org.apache.http.util.EntityUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP client under the sink's OpenSearch REST client, wrapped so that a {@code _bulk} request OpenSearch cannot
 * take at the moment is sent again, with a bounded back-off ({@link BulkRetryPolicy}), before the sink sees an
 * answer: a whole request answered 429 or 5xx or lost with its connection, and the actions of an answered bulk that
 * were refused one by one with 429 or 503 (only those are sent again). The sink then gets one answer whose items
 * stand in request order, so each item is paired with its own request by position. What is still failing when the
 * retries run out reaches the sink as OpenSearch last answered it, and fails the job.
 */
final class RetryingBulkHttpClient extends CloseableHttpAsyncClient {
    private static final Logger LOG = LoggerFactory.getLogger(RetryingBulkHttpClient.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final IOControl NO_IO_CONTROL = new NoIoControl();

    private final CloseableHttpAsyncClient delegate;
    private final BulkRetryPolicy policy;
    private final ScheduledExecutorService scheduler;

    /** A builder that builds what {@code configured} would, wrapped in a client that retries bulks. */
    static HttpAsyncClientBuilder wrapping(HttpAsyncClientBuilder configured, BulkRetryPolicy retries) {
        return new HttpAsyncClientBuilder() {
            @Override
            public CloseableHttpAsyncClient build() {
                return new RetryingBulkHttpClient(configured.build(), retries);
            }
        };
    }

    RetryingBulkHttpClient(CloseableHttpAsyncClient delegate, BulkRetryPolicy policy) {
        this.delegate = delegate;
        this.policy = policy;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "opensearch-bulk-retry");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public <T> Future<T> execute(HttpAsyncRequestProducer producer, HttpAsyncResponseConsumer<T> consumer,
            HttpContext context, FutureCallback<T> callback) {
        HttpRequest request;
        byte[] body;
        try {
            request = producer.generateRequest();
            if (!BulkActions.isPlainBulk(request)) {
                return delegate.execute(producer, consumer, context, callback);
            }
            HttpEntity entity = ((HttpEntityEnclosingRequest) request).getEntity();
            body = EntityUtils.toByteArray(entity);
        } catch (IOException | HttpException e) {
            throw new IllegalStateException("Could not read a bulk request body: " + e.getMessage(), e);
        }
        Exchange<T> exchange = new Exchange<>(producer.getTarget(), request, body, consumer, context, callback);
        exchange.send(body);
        return exchange.future;
    }

    /** Retryable statuses of a whole request: overload and server-side failures. */
    static boolean retryableRequest(int status) {
        return status == 429 || status >= 500;
    }

    /** Retryable statuses of one action: the node was too busy (429), or its shard was unavailable (503). */
    static boolean retryableItem(int status) {
        return status == 429 || status == 503;
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
        scheduler.shutdownNow();
        delegate.close();
    }

    /** One bulk request from the sink, through all its attempts, to the one answer the sink gets. */
    private final class Exchange<T> {
        final HttpHost target;
        final RequestLine requestLine;
        final Header[] headers;
        final ContentType contentType;
        final byte[] body;
        final HttpAsyncResponseConsumer<T> consumer;
        final HttpContext context;
        final BasicFuture<T> future;
        int retries;
        /** After the first answered attempt: every action's latest item, in request order. */
        JsonNode[] items;
        long took;
        /** Positions of the actions the current attempt sends (all, on a first attempt). */
        List<Integer> sending;
        List<byte[]> actions;

        Exchange(HttpHost target, HttpRequest request, byte[] body, HttpAsyncResponseConsumer<T> consumer,
                HttpContext context, FutureCallback<T> callback) {
            this.target = target;
            this.requestLine = request.getRequestLine();
            this.headers = request.getAllHeaders();
            ContentType type = ContentType.get(((HttpEntityEnclosingRequest) request).getEntity());
            this.contentType = type == null ? ContentType.APPLICATION_JSON : type;
            this.body = body;
            this.consumer = consumer;
            this.context = context;
            this.future = new BasicFuture<>(callback);
        }

        void send(byte[] bytes) {
            BasicHttpEntityEnclosingRequest request = new BasicHttpEntityEnclosingRequest(requestLine);
            request.setHeaders(headers);
            request.setEntity(new NByteArrayEntity(bytes, contentType));
            try {
                delegate.execute(new BasicAsyncRequestProducer(target, request), new BasicAsyncResponseConsumer(),
                        context, new FutureCallback<>() {
                            @Override
                            public void completed(HttpResponse response) {
                                onAnswer(response);
                            }

                            @Override
                            public void failed(Exception e) {
                                onFailure(e);
                            }

                            @Override
                            public void cancelled() {
                                future.cancel(true);
                            }
                        });
            } catch (RuntimeException e) {
                onFailure(e);
            }
        }

        void onAnswer(HttpResponse response) {
            try {
                int status = response.getStatusLine().getStatusCode();
                byte[] answer = response.getEntity() == null ? new byte[0] : EntityUtils.toByteArray(response.getEntity());
                if (retryableRequest(status) && retries < policy.maxRetries()) {
                    retry("answered " + status, currentBody());
                    return;
                }
                if (status != 200 || sending == null && !BulkActions.answerHasErrors(answer)) {
                    // Not retryable, out of retries, or all applied at once: the sink sees OpenSearch's answer as is.
                    deliver(response, answer);
                    return;
                }
                boolean firstAnswer = sending == null;
                List<Integer> pending = merge(JSON.readTree(answer));
                if (pending.isEmpty() || retries >= policy.maxRetries()) {
                    deliver(response, firstAnswer ? answer : mergedAnswer());
                    return;
                }
                sending = pending;
                retry(pending.size() + " of " + items.length + " actions refused for now", currentBody());
            } catch (IOException | RuntimeException e) {
                deliverFailure(e);
            }
        }

        void onFailure(Exception e) {
            if (retries < policy.maxRetries() && !future.isCancelled()) {
                retry("failed: " + e, currentBody());
            } else {
                deliverFailure(e);
            }
        }

        void retry(String why, byte[] bytes) {
            retries++;
            long delay = policy.delayMillis(retries);
            LOG.warn("Bulk request to {} {}; retry {} of {} in {} ms", target, why, retries, policy.maxRetries(),
                    delay);
            try {
                scheduler.schedule(() -> send(bytes), delay, TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                deliverFailure(e); // the client is closing
            }
        }

        /** The body of the current attempt: the whole bulk, or the actions still to apply. */
        byte[] currentBody() {
            if (sending == null) {
                return body;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int position : sending) {
                byte[] action = actions.get(position);
                out.write(action, 0, action.length);
            }
            return out.toByteArray();
        }

        /** Takes this attempt's items into their request positions; returns the positions to send again. */
        List<Integer> merge(JsonNode answer) throws IOException {
            JsonNode answered = answer.path("items");
            if (items == null) {
                items = new JsonNode[answered.size()];
            }
            List<Integer> positions = sending;
            if (positions == null) {
                positions = new ArrayList<>();
                for (int i = 0; i < answered.size(); i++) {
                    positions.add(i);
                }
            }
            if (answered.size() != positions.size()) {
                throw new IOException("OpenSearch answered " + answered.size() + " items for " + positions.size()
                        + " actions");
            }
            took += answer.path("took").asLong();
            List<Integer> pending = new ArrayList<>();
            for (int i = 0; i < positions.size(); i++) {
                JsonNode item = answered.get(i);
                items[positions.get(i)] = item;
                if (retryableItem(statusOf(item))) {
                    pending.add(positions.get(i));
                }
            }
            if (!pending.isEmpty() && actions == null) {
                actions = BulkActions.split(body);
                if (actions.size() != items.length) {
                    throw new IOException("a bulk of " + actions.size() + " actions was answered with "
                            + items.length + " items");
                }
            }
            return pending;
        }

        byte[] mergedAnswer() throws IOException {
            ObjectNode merged = JSON.createObjectNode();
            merged.put("took", took);
            boolean errors = false;
            ArrayNode all = merged.putArray("items");
            for (JsonNode item : items) {
                all.add(item);
                errors |= resultOf(item).has("error");
            }
            merged.put("errors", errors);
            return JSON.writeValueAsBytes(merged);
        }

        void deliver(HttpResponse answered, byte[] bytes) {
            BasicHttpResponse response = new BasicHttpResponse(answered.getStatusLine());
            for (Header header : answered.getAllHeaders()) {
                String name = header.getName();
                if (!name.equalsIgnoreCase("Content-Length") && !name.equalsIgnoreCase("Transfer-Encoding")) {
                    response.addHeader(header);
                }
            }
            ContentType type = answered.getEntity() == null ? null : ContentType.get(answered.getEntity());
            response.setEntity(new NByteArrayEntity(bytes, type == null ? ContentType.APPLICATION_JSON : type));
            try {
                consumer.responseReceived(response);
                ContentDecoder decoder = new BytesDecoder(bytes);
                while (!decoder.isCompleted()) {
                    consumer.consumeContent(decoder, NO_IO_CONTROL);
                }
                consumer.responseCompleted(context);
                Exception failure = consumer.getException();
                if (failure != null) {
                    future.failed(failure);
                } else {
                    future.completed(consumer.getResult());
                }
            } catch (IOException | HttpException | RuntimeException e) {
                deliverFailure(e);
            }
        }

        void deliverFailure(Exception e) {
            try {
                consumer.failed(e);
            } finally {
                future.failed(e);
            }
        }
    }

    /** An item is {@code {"<op>": {...result...}}}. */
    private static JsonNode resultOf(JsonNode item) {
        return item.elements().hasNext() ? item.elements().next() : JSON.createObjectNode();
    }

    private static int statusOf(JsonNode item) {
        return resultOf(item).path("status").asInt(500);
    }

    /** Feeds a buffered answer to the REST client's response consumer as if it came off the wire. */
    private static final class BytesDecoder implements ContentDecoder {
        private final ByteBuffer source;

        BytesDecoder(byte[] bytes) {
            this.source = ByteBuffer.wrap(bytes);
        }

        @Override
        public int read(ByteBuffer destination) {
            if (!source.hasRemaining()) {
                return -1;
            }
            int count = Math.min(destination.remaining(), source.remaining());
            ByteBuffer slice = source.slice();
            slice.limit(count);
            destination.put(slice);
            source.position(source.position() + count);
            return count;
        }

        @Override
        public boolean isCompleted() {
            return !source.hasRemaining();
        }
    }

    /** The answer is already complete: there is no connection to pause or resume. */
    private static final class NoIoControl implements IOControl {
        @Override
        public void requestInput() {}

        @Override
        public void suspendInput() {}

        @Override
        public void requestOutput() {}

        @Override
        public void suspendOutput() {}

        @Override
        public void shutdown() {}
    }
}
