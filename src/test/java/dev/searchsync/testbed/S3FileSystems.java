package dev.searchsync.testbed;


import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.fs.FileSystem;

/**
 * Points Flink's s3:// file system (flink-s3-fs-hadoop on the test class path) at the test bed's S3Proxy. Flink's
 * file systems are configured once per JVM, by {@link FileSystem#initialize}; a MiniCluster does not do it with its
 * own configuration (only the TaskManager and JobManager processes' entry points do), so tests call this.
 */
public final class S3FileSystems {
    private S3FileSystems() {}

    public static Configuration configuration(S3ProxyServer s3) {
        Configuration conf = new Configuration();
        conf.setString("s3.endpoint", s3.endpoint().toString());
        conf.setString("s3.path.style.access", "true");
        conf.setString("s3.access-key", s3.accessKey());
        conf.setString("s3.secret-key", s3.secretKey());
        // No retries against a missing bucket or a stopped server: fail fast in tests.
        conf.setString("s3.attempts.maximum", "2");
        conf.setString("s3.retry.limit", "2");
        return conf;
    }

    public static void useS3Proxy(S3ProxyServer s3) {
        // flink-s3-fs-hadoop bundles AWS SDK v1, which otherwise prints a deprecation notice with a stack trace.
        System.setProperty("aws.java.v1.disableDeprecationAnnouncement", "true");
        FileSystem.initialize(configuration(s3), null);
    }

    /** Back to Flink's defaults, so later test classes in this JVM see no test bed settings. */
    public static void reset() {
        FileSystem.initialize(new Configuration(), null);
    }
}
