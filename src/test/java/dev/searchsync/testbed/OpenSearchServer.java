package dev.searchsync.testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node OpenSearch (the integ-test zip from Maven Central) in a child process, because
 * the job's bulk requests must be checked against the server's actual behaviour and Docker is not
 * available. One instance is meant to be shared by the whole test JVM (see {@link OpenSearchExtension}).
 */
public final class OpenSearchServer extends ChildProcessServer {

    private static final Logger LOG = LoggerFactory.getLogger(OpenSearchServer.class);

    /** OpenSearch refuses to run as root; this uid/gid (nobody) needs no account on the machine. */
    private static final String UNPRIVILEGED_ID = "65534";
    private static final String PREFERRED_JAVA_HOME = "/usr/lib/jvm/java-17-openjdk-amd64";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Status and body of an HTTP exchange, for tests that expect an error answer. */
    public record Response(int status, String body) {}

    private final Path zip;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** A server from target/testbed/opensearch.zip; nothing happens until {@link #start()}. */
    public OpenSearchServer() {
        this(TestbedSupport.requireArtifact("opensearch.zip"));
    }

    public OpenSearchServer(Path zip) {
        super("OpenSearch", "opensearch", 2, READY_TIMEOUT, Duration.ofMillis(250));
        this.zip = zip;
    }

    @Override
    protected void afterStart() {
        // Single node: the default of one replica would leave every new index yellow.
        request("PUT", "/_cluster/settings", "{\"persistent\":{\"cluster.default_number_of_replicas\":0}}");
    }

    @Override
    protected String address() {
        return httpUrl();
    }

    /** Base URL without a trailing slash, e.g. {@code http://127.0.0.1:40123}. */
    public String httpUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return port(0);
    }

    public int transportPort() {
        return port(1);
    }

    /** {@code GET path}, returning the body; throws when the status is 400 or more. */
    public String get(String path) {
        return request("GET", path, null);
    }

    /** Only the status of the exchange, never throwing for an HTTP error. */
    public int status(String method, String path, String body) {
        return exchange(method, path, body).status();
    }

    /** Sends {@code jsonBody} (or nothing when null) and returns the body; throws on status 400 or more. */
    public String request(String method, String path, String jsonBody) {
        Response response = exchange(method, path, jsonBody);
        if (response.status() >= 400) {
            throw new IllegalStateException(method + " " + path + " answered " + response.status() + ": "
                    + response.body());
        }
        return response.body();
    }

    /** Like {@link #request} but parses the body as JSON. */
    public JsonNode requestJson(String method, String path, String jsonBody) {
        try {
            return JSON.readTree(request(method, path, jsonBody));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The raw exchange: any status is returned, only I/O failures throw. Bodies of {@code _bulk} and
     * {@code _msearch} go out as NDJSON, everything else as JSON.
     */
    public Response exchange(String method, String path, String body) {
        String contentType = path.contains("_bulk") || path.contains("_msearch")
                ? "application/x-ndjson"
                : "application/json";
        HttpRequest request = HttpRequest.newBuilder(URI.create(httpUrl() + (path.startsWith("/") ? path : "/" + path)))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", contentType)
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed against " + httpUrl(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + method + " " + path, e);
        }
    }

    /** Makes everything indexed so far visible to search and count. */
    public void refresh(String index) {
        request("POST", "/" + index + "/_refresh", null);
    }

    /** Document count of an index (or pattern); does not refresh first. */
    public long count(String index) {
        return requestJson("GET", "/" + index + "/_count", null).path("count").asLong();
    }

    /** Deletes an index; a missing index is fine. */
    public void deleteIndex(String index) {
        Response response = exchange("DELETE", "/" + index, null);
        if (response.status() >= 400 && response.status() != 404) {
            throw new IllegalStateException("DELETE /" + index + " answered " + response.status() + ": "
                    + response.body());
        }
    }

    /** Unpacks the zip into the temporary folder (owned by the unprivileged user when running as root). */
    @Override
    protected void prepare() {
        long started = System.nanoTime();
        Path home = home();
        try {
            unzipWithoutTopFolder(zip, home);
            // Its own temp folder, else the start script makes one in /tmp that nobody deletes.
            Files.createDirectories(home.resolve("tmp"));
            if (TestbedSupport.runningAsRoot()) {
                run(List.of("chown", "-R", UNPRIVILEGED_ID + ":" + UNPRIVILEGED_ID, home.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + zip, e);
        }
        LOG.info("OpenSearch unpacked in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** The unpacked distribution, with its data and config, kept across {@link #stop()} and start. */
    private Path home() {
        return tempDir().resolve("opensearch");
    }

    @Override
    protected ProcessBuilder launchCommand() {
        Path home = home();
        List<String> command = new ArrayList<>();
        if (TestbedSupport.runningAsRoot()) {
            command.addAll(List.of("setpriv", "--reuid=" + UNPRIVILEGED_ID, "--regid=" + UNPRIVILEGED_ID,
                    "--clear-groups", "--"));
        }
        command.add(home.resolve("bin").resolve("opensearch").toString());
        command.addAll(List.of(
                "-Ecluster.name=searchsync-testbed",
                "-Enode.name=testbed",
                "-Ediscovery.type=single-node",
                "-Enetwork.host=127.0.0.1",
                "-Ehttp.port=" + port(),
                "-Etransport.port=" + transportPort(),
                "-Ecluster.routing.allocation.disk.threshold_enabled=false"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile());
        Map<String, String> env = builder.environment();
        env.put("OPENSEARCH_JAVA_HOME", javaHome());
        env.put("OPENSEARCH_JAVA_OPTS", "-Xms512m -Xmx512m -XX:-UsePerfData");
        env.put("OPENSEARCH_TMPDIR", home.resolve("tmp").toString());
        env.remove("OPENSEARCH_PATH_CONF");
        env.remove("JAVA_TOOL_OPTIONS");
        env.remove("JAVA_OPTS");
        return builder;
    }

    @Override
    protected boolean answers() {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(httpUrl() + "/_cluster/health?wait_for_status=yellow&timeout=2s"))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for OpenSearch", e);
        }
    }

    private static String javaHome() {
        String override = System.getProperty("searchsync.opensearch.java.home");
        if (override != null && !override.isBlank()) {
            return override;
        }
        // 2.19.x fails on newer JDKs, so the machine's JDK 17 wins over whatever runs the tests.
        if (Files.isExecutable(Path.of(PREFERRED_JAVA_HOME, "bin", "java"))) {
            return PREFERRED_JAVA_HOME;
        }
        return System.getProperty("java.home");
    }

    /**
     * Unpacks the distribution's single top folder into {@code target}; the execute bits are not in
     * ZipEntry, so the scripts under bin/ get them back explicitly.
     */
    private static void unzipWithoutTopFolder(Path zip, Path target) throws IOException {
        Path root = target.normalize();
        try (ZipFile zipFile = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = zipFile.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                int slash = name.indexOf('/');
                String relative = slash < 0 ? "" : name.substring(slash + 1);
                if (relative.isEmpty()) {
                    continue;
                }
                Path destination = root.resolve(relative).normalize();
                if (!destination.startsWith(root)) {
                    throw new IOException("zip entry outside its folder: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                Files.createDirectories(destination.getParent());
                try (InputStream in = zipFile.getInputStream(entry)) {
                    Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
                }
                if (relative.startsWith("bin/")) {
                    destination.toFile().setExecutable(true, false);
                }
            }
        }
    }

    private static void run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException(command + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + command, e);
        }
    }
}
