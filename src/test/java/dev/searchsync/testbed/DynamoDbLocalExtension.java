package dev.searchsync.testbed;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class its own fresh DynamoDB Local, because one instance degrades badly after ~50k
 * stream records; started before the class's {@code @BeforeAll} methods and stopped after its
 * {@code @AfterAll} methods.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final DynamoDbLocalExtension DYNAMODB = new DynamoDbLocalExtension();
 * ... DYNAMODB.server().createTableWithStream("orders", "id", null) ...
 * }</pre>
 *
 * Register it in a static field. Test and lifecycle methods may also declare a
 * {@link DynamoDbLocalServer} parameter. {@code @Nested} classes share their outer class's instance.
 */
public final class DynamoDbLocalExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private volatile DynamoDbLocalServer server;
    private volatile String ownerId;

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        // Nested classes inherit the static registration; only the outermost class starts and stops it.
        if (ownerId != null) {
            return;
        }
        DynamoDbLocalServer fresh = new DynamoDbLocalServer();
        fresh.start();
        server = fresh;
        ownerId = context.getUniqueId();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (context.getUniqueId().equals(ownerId)) {
            ownerId = null;
            server.stop();
        }
    }

    /**
     * This class's server; available from {@code @BeforeAll} on. It stays reachable (stopped) after the
     * class, so a check can confirm that its port was released.
     */
    public DynamoDbLocalServer server() {
        DynamoDbLocalServer current = server;
        if (current == null) {
            throw new IllegalStateException("DynamoDbLocalExtension must be registered in a static field; "
                    + "the server is available from @BeforeAll on");
        }
        return current;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == DynamoDbLocalServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return server();
    }
}
