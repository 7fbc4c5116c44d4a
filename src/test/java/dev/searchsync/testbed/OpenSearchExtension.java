package dev.searchsync.testbed;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

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
public final class OpenSearchExtension implements BeforeAllCallback, ParameterResolver {

    private volatile OpenSearchServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = shared(context);
    }

    /** The shared server; available from {@code @BeforeAll} on. */
    public OpenSearchServer server() {
        OpenSearchServer current = server;
        if (current == null) {
            throw new IllegalStateException("OpenSearchExtension must be registered in a static field; "
                    + "the server is available from @BeforeAll on");
        }
        return current;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == OpenSearchServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    private static OpenSearchServer shared(ExtensionContext context) {
        return RunScoped.get(context, OpenSearchServer.class, () -> {
            OpenSearchServer started = new OpenSearchServer();
            try {
                started.start();
                return started;
            } catch (RuntimeException e) {
                started.close();
                throw e;
            }
        });
    }
}
