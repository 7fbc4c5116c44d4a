package dev.searchsync.opensearch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in front of the real OpenSearch (which has no security plugin) and plays the authenticating front end:
 * every request is judged by a {@link RequestCheck} from what actually arrived on the wire, then either refused or
 * forwarded unchanged.
 */
final class AuthCheckingProxy implements AutoCloseable {
    private final String upstream;
    private final RequestCheck check;
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger rejected = new AtomicInteger();
    private final List<String> rejections = new ArrayList<>();

    AuthCheckingProxy(String upstream, RequestCheck check) throws IOException {
        this.upstream = upstream;
        this.check = check;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int accepted() {
        return accepted.get();
    }

    int rejected() {
        return rejected.get();
    }

    synchronized List<String> rejections() {
        return List.copyOf(rejections);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            ReceivedRequest request = receive(exchange);
            RequestCheck.Rejection rejection;
            try {
                rejection = check.check(request);
            } catch (RuntimeException e) {
                rejection = RequestCheck.Rejection.of(403, "check failed: " + e);
            }
            if (rejection != null) {
                rejected.incrementAndGet();
                synchronized (this) {
                    rejections.add(request.method() + " " + request.rawPath() + ": " + rejection.reason());
                }
                if (rejection.headerName() != null) {
                    exchange.getResponseHeaders().add(rejection.headerName(), rejection.headerValue());
                }
                String body = "HEAD".equals(request.method())
                        ? ""
                        : "{\"message\":\"" + rejection.reason().replace("\"", "'") + "\"}";
                respond(exchange, rejection.status(), "application/json", body.getBytes(StandardCharsets.UTF_8));
                return;
            }
            accepted.incrementAndGet();
            forward(exchange, request);
        }
    }

    private static ReceivedRequest receive(HttpExchange exchange) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>()).addAll(values));
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        URI uri = exchange.getRequestURI();
        return new ReceivedRequest(exchange.getRequestMethod(), uri.getRawPath(), uri.getRawQuery(), headers, body);
    }

    private void forward(HttpExchange exchange, ReceivedRequest request) throws IOException {
        String target = upstream + request.rawPath() + (request.rawQuery() == null ? "" : "?" + request.rawQuery());
        HttpRequest.Builder out = HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(60))
                .method(request.method(), request.body().length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(request.body()));
        String contentType = request.header("content-type");
        if (contentType != null) {
            out.header("Content-Type", contentType);
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(out.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted forwarding " + target, e);
        }
        String responseType = response.headers().firstValue("content-type").orElse("application/json");
        byte[] body = "HEAD".equals(request.method()) ? new byte[0] : response.body();
        respond(exchange, response.statusCode(), responseType, body);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
