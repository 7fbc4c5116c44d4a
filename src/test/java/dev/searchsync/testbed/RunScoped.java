package dev.searchsync.testbed;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server started at most once per test run and closed when JUnit closes the root context; a failed
 * start is remembered so every later class fails at once instead of waiting for the server again.
 */
final class RunScoped<T extends AutoCloseable> implements ExtensionContext.Store.CloseableResource {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RunScoped.class);

    private final T server;
    private final RuntimeException failure;

    private RunScoped(T server, RuntimeException failure) {
        this.server = server;
        this.failure = failure;
    }

    /** The run's instance of {@code type}, created and started by {@code starter} on first use. */
    static <T extends AutoCloseable> T get(ExtensionContext context, Class<T> type, Supplier<T> starter) {
        RunScoped<?> scoped = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(type, key -> start(starter), RunScoped.class);
        if (scoped.failure != null) {
            throw new IllegalStateException(type.getSimpleName() + " failed to start earlier in this run",
                    scoped.failure);
        }
        return type.cast(scoped.server);
    }

    private static <T extends AutoCloseable> RunScoped<T> start(Supplier<T> starter) {
        try {
            return new RunScoped<>(starter.get(), null);
        } catch (RuntimeException e) {
            return new RunScoped<>(null, e);
        }
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
        }
    }
}
