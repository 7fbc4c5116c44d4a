package dev.searchsync.testbed;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class its own {@link StreamRolloverProxy} in front of the class's moto, started before the class and
 * closed after it. Register it after the {@link MotoExtension}, so moto is up first:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final MotoExtension MOTO = new MotoExtension();
 * @RegisterExtension
 * static final StreamRolloverProxyExtension PROXY = new StreamRolloverProxyExtension(MOTO);
 * ... PROXY.proxy().rollover(streamArn) ...
 * }</pre>
 */
public final class StreamRolloverProxyExtension implements BeforeAllCallback, AfterAllCallback {

    private final MotoExtension moto;
    private volatile StreamRolloverProxy proxy;

    public StreamRolloverProxyExtension(MotoExtension moto) {
        this.moto = moto;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (proxy == null) {
            proxy = new StreamRolloverProxy(moto.server()).start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        boolean nested = context.getParent().flatMap(ExtensionContext::getTestClass).isPresent();
        if (!nested && proxy != null) {
            proxy.close();
            proxy = null;
        }
    }

    /** This class's proxy; available from {@code @BeforeAll} on. */
    public StreamRolloverProxy proxy() {
        StreamRolloverProxy current = proxy;
        if (current == null) {
            throw new IllegalStateException("StreamRolloverProxyExtension must be registered in a static field, after"
                    + " the MotoExtension; the proxy is available from @BeforeAll on");
        }
        return current;
    }
}
