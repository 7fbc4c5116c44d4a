package dev.searchsync.testbed;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test class the S3Proxy server shared by the whole run, started on first use so runs that
 * need no S3 never pay for it; JUnit stops it and deletes its files when the run ends.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final S3ProxyExtension S3 = new S3ProxyExtension();
 * ... S3.server().createBucket("my-bucket") ...
 * }</pre>
 *
 * Register it in a static field. Test and lifecycle methods may also declare an {@link S3ProxyServer}
 * parameter. Buckets outlive a test class: use names of your own.
 */
public final class S3ProxyExtension implements BeforeAllCallback, ParameterResolver {

    private volatile S3ProxyServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = shared(context);
    }

    /** The shared server; available from {@code @BeforeAll} on. */
    public S3ProxyServer server() {
        S3ProxyServer current = server;
        if (current == null) {
            throw new IllegalStateException("S3ProxyExtension must be registered in a static field; "
                    + "the server is available from @BeforeAll on");
        }
        return current;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == S3ProxyServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    private static S3ProxyServer shared(ExtensionContext context) {
        return RunScoped.get(context, S3ProxyServer.class, () -> {
            S3ProxyServer started = new S3ProxyServer();
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
