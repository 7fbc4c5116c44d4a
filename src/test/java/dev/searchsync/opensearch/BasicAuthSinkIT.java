package dev.searchsync.opensearch;

import dev.searchsync.config.OpenSearchConfig;
import dev.searchsync.it.Clusters;
import dev.searchsync.testbed.OpenSearchExtension;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BASIC end to end through a proxy that checks the Authorization header as the security plugin would. */
class BasicAuthSinkIT {
    static final String USER = "searchsync";
    static final String PASSWORD = "basic-right-password-Hq4Tz8Wc";

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    private final List<String> indices = new ArrayList<>();

    @AfterEach
    void deleteIndices() {
        indices.forEach(OPENSEARCH.server()::deleteIndex);
    }

    @Test
    void theRightPasswordGetsBootstrapAndSinkThrough() throws Exception {
        String index = index("basic-it-right");
        try (AuthCheckingProxy proxy = proxy()) {
            OpenSearchConfig config = config(proxy, PASSWORD);
            try (IndexBootstrap bootstrap = new IndexBootstrap(config)) {
                bootstrap.ensureIndex(index, SigV4SinkIT.MAPPING);
            }
            SinkJobs.run(config, "basic-it-right", SigV4SinkIT.documents(index, 10));
            assertThat(proxy.rejections()).isEmpty();
            assertThat(proxy.accepted()).isGreaterThanOrEqualTo(3);
        }
        OPENSEARCH.server().refresh(index);
        assertThat(OPENSEARCH.server().count(index)).isEqualTo(10);
    }

    @Test
    void aWrongPasswordIsRefusedAndTheFailureSaysSo() throws Exception {
        String index = index("basic-it-wrong");
        try (AuthCheckingProxy proxy = proxy()) {
            OpenSearchConfig config = config(proxy, "basic-wrong-password-Jm2Rx7Pd");
            try (IndexBootstrap bootstrap = new IndexBootstrap(config)) {
                assertThatThrownBy(() -> bootstrap.ensureIndex(index, SigV4SinkIT.MAPPING))
                        .isInstanceOf(IndexBootstrapException.class)
                        .hasMessage("OpenSearch at [" + proxy.url() + "] answered 401 Unauthorized to HEAD /" + index
                                + " (check auth.type and the credentials of property group 'opensearch'): (no body)");
            }
            assertThatThrownBy(() -> SinkJobs.run(config, "basic-it-wrong", SigV4SinkIT.documents(index, 3)))
                    .satisfies(e -> assertThat(Failures.messages(e)).contains("401 Unauthorized"));
            assertThat(proxy.accepted()).isZero();
            assertThat(proxy.rejections()).allMatch(r -> r.endsWith("wrong user name or password"));
        }
        assertThat(OPENSEARCH.server().status("HEAD", "/" + index, null)).isEqualTo(404);
    }

    private static AuthCheckingProxy proxy() throws Exception {
        return new AuthCheckingProxy(OPENSEARCH.server().httpUrl(), new BasicAuthCheck(USER, PASSWORD));
    }

    static OpenSearchConfig config(AuthCheckingProxy proxy, String password) {
        // The checking proxy listens on loopback without TLS.
        return TestConfigs.opensearch("endpoint", proxy.url(), "auth.type", "BASIC", "auth.username", USER,
                "auth.password", password, "auth.basic.allow.http", "true", "bulk.flush.interval.ms", "200");
    }

    private String index(String name) {
        indices.add(name);
        OPENSEARCH.server().deleteIndex(name);
        return name;
    }
}
