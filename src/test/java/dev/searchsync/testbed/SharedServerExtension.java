package dev.searchsync.testbed;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one way a test class gets a server shared by the whole run: started on first use, stopped and its files
 * deleted by JUnit when the run ends (see {@link RunScoped}). Each server type names itself in a small subclass.
 */
public abstract class SharedServerExtension<S extends AutoCloseable> implements BeforeAllCallback, ParameterResolver {

    private final Class<S> type;
    private final Supplier<S> create;
    private final Consumer<S> start;
    private volatile S server;

    protected SharedServerExtension(Class<S> type, Supplier<S> create, Consumer<S> start) {
        this.type = type;
        this.create = create;
        this.start = start;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = shared(context);
    }

    /** The shared server; available from {@code @BeforeAll} on. */
    public S server() {
        S current = server;
        if (current == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " must be registered in a static field; "
                    + "the server is available from @BeforeAll on");
        }
        return current;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == type;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    private S shared(ExtensionContext context) {
        return RunScoped.get(context, type, () -> {
            S started = create.get();
            try {
                start.accept(started);
                return started;
            } catch (RuntimeException e) {
                try {
                    started.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
        });
    }
}
