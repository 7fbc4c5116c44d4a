package dev.searchsync.testbed;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plumbing of the test bed's in-JVM fakes that sit in front of a real server: an HTTP server on a free loopback
 * port whose subclass answers some requests itself and passes the rest to the target unchanged.
 */
abstract class LoopbackProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LoopbackProxy.class);
    /** Headers the JDK client sets itself, or that describe one hop only. */
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade",
            "transfer-encoding", "date", "via", "warning", "keep-alive");

    private final String name;
    private final URI target;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private HttpServer server;
    private ExecutorService executor;

    /** @param name how logs and threads name the proxy, e.g. {@code stream-rollover-proxy} */
    LoopbackProxy(String name, URI target) {
        this.name = name;
        this.target = target;
    }

    /** Answers one request, whose body is already read: itself, or with {@link #forward}. */
    protected abstract void handle(HttpExchange exchange, byte[] body) throws IOException;

    /** Starts listening; a second call does nothing. */
    protected final synchronized void listen() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the " + name, e);
        }
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(8, task -> {
            Thread thread = new Thread(task, name + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                handle(exchange, exchange.getRequestBody().readAllBytes());
            }
        });
        server.start();
        LOG.info("{} at {} in front of {}", name, endpoint(), target);
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    /** {@code http://127.0.0.1:PORT}. */
    public synchronized URI endpoint() {
        if (server == null) {
            throw new IllegalStateException("the " + name + " is not started");
        }
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    protected final URI target() {
        return target;
    }

    /** Passes the request to the target as it came, and the target's answer back as it went. */
    protected final void forward(HttpExchange exchange, byte[] body) throws IOException {
        HttpResponse<byte[]> response = send(exchange, body);
        response.headers().map().forEach((header, values) -> {
            if (!HOP_HEADERS.contains(header.toLowerCase(Locale.ROOT)) && !header.startsWith(":")) {
                exchange.getResponseHeaders().put(header, new ArrayList<>(values));
            }
        });
        byte[] bytes = response.body();
        exchange.sendResponseHeaders(response.statusCode(), bytes.length == 0 ? -1 : bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** Sends the request's method, path, headers and {@code body} to the target and returns its answer. */
    protected final HttpResponse<byte[]> send(HttpExchange exchange, byte[] body) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(60))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((header, values) -> {
            if (!HOP_HEADERS.contains(header.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(header, value));
            }
        });
        return send(request.build());
    }

    /** Sends a request of the proxy's own to the target. */
    protected final HttpResponse<byte[]> send(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while calling " + target, e);
        }
    }

    /** Answers the request itself. */
    protected static void answer(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
