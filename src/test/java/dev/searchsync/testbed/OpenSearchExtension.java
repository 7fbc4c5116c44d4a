package dev.searchsync.testbed;

/**
 * Gives a test class the OpenSearch server shared by the whole run, started on first use because it
 * costs ~10 s and ~750 MB; JUnit stops it and deletes its files when the run ends.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();
 * ... OPENSEARCH.server().count("my-index") ...
 * }</pre>
 *
 * Register it in a static field (beforeAll only runs for static registrations). Test and lifecycle
 * methods may also declare an {@link OpenSearchServer} parameter. A test that calls
 * {@link OpenSearchServer#stop()} must call {@link OpenSearchServer#start()} before it ends, since
 * later classes share the server; tests should use their own index names and delete them.
 */
public final class OpenSearchExtension extends SharedServerExtension<OpenSearchServer> {

    public OpenSearchExtension() {
        super(OpenSearchServer.class, OpenSearchServer::new, OpenSearchServer::start);
    }
}
