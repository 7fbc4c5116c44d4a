package dev.searchsync.testbed;

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
public final class S3ProxyExtension extends SharedServerExtension<S3ProxyServer> {

    public S3ProxyExtension() {
        super(S3ProxyServer.class, S3ProxyServer::new, S3ProxyServer::start);
    }
}
