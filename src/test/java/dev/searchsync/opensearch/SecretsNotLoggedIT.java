package dev.searchsync.opensearch;

import dev.searchsync.config.InvalidConfigurationException;
import dev.searchsync.config.OpenSearchConfig;
import dev.searchsync.it.Clusters;
import dev.searchsync.testbed.OpenSearchExtension;
import dev.searchsync.testlog.LogCapture;

import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs bootstrap and sink with distinctive secrets, successfully and with wrong ones, while every log line of the
 * JVM is captured at DEBUG; neither the secrets nor their Base64 form may appear in a log line or in a failure.
 */
class SecretsNotLoggedIT {
    private static final String PASSWORD = "pw-NEVER-LOG-7f3a9c21";
    private static final String WRONG_PASSWORD = "pw-NEVER-LOG-wrong-0b8e44d6";
    private static final String WRONG_SECRET = "sk-NEVER-LOG-wrong-5c1d7e90";

    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @RegisterExtension
    static final OpenSearchExtension OPENSEARCH = new OpenSearchExtension();

    private final List<String> indices = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    @AfterEach
    void deleteIndices() {
        indices.forEach(OPENSEARCH.server()::deleteIndex);
    }

    @Test
    void basicAuthPasswordsAppearNowhere() throws Exception {
        String index = index("secrets-it-basic");
        String logs;
        try (LogCapture capture = LogCapture.start();
                AuthCheckingProxy proxy = new AuthCheckingProxy(OPENSEARCH.server().httpUrl(),
                        new BasicAuthCheck(BasicAuthSinkIT.USER, PASSWORD))) {
            OpenSearchConfig right = BasicAuthSinkIT.config(proxy, PASSWORD);
            OpenSearchConfig wrong = BasicAuthSinkIT.config(proxy, WRONG_PASSWORD);
            runBootstrapAndSink(right, wrong, index);
            failures.add(String.valueOf(right) + wrong);
            assertThatThrownBy(() -> TestConfigs.opensearch("endpoint", proxy.url(), "auth.password", PASSWORD))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .satisfies(e -> failures.add(Failures.messages(e)));
            logs = capture.text();
        }
        assertCaptured(logs, index);
        for (String secret : List.of(PASSWORD, WRONG_PASSWORD, base64(BasicAuthSinkIT.USER + ":" + PASSWORD),
                base64(BasicAuthSinkIT.USER + ":" + WRONG_PASSWORD))) {
            assertThat(logs).as("captured logs").doesNotContain(secret);
            assertThat(failures).as("failure messages").noneMatch(text -> text.contains(secret));
        }
    }

    @Test
    @SuppressWarnings("try") // the resource only sets and restores the credentials
    void sigV4SecretKeysAppearNowhere() throws Exception {
        String index = index("secrets-it-sigv4");
        String logs;
        try (LogCapture capture = LogCapture.start();
                AuthCheckingProxy proxy = new AuthCheckingProxy(OPENSEARCH.server().httpUrl(),
                        new SigV4Verifier(SigV4SinkIT.KEY_ID, SigV4SinkIT.SECRET, SigV4SinkIT.REGION, "es"))) {
            OpenSearchConfig config = SigV4SinkIT.config(proxy, "es");
            try (AwsTestCredentials right = AwsTestCredentials.use(SigV4SinkIT.KEY_ID, SigV4SinkIT.SECRET)) {
                bootstrapAndSink(config, index);
            }
            try (AwsTestCredentials wrong = AwsTestCredentials.use(SigV4SinkIT.KEY_ID, WRONG_SECRET)) {
                failingBootstrapAndSink(config, index);
            }
            logs = capture.text();
        }
        assertCaptured(logs, index);
        for (String secret : List.of(SigV4SinkIT.SECRET, WRONG_SECRET)) {
            assertThat(logs).as("captured logs").doesNotContain(secret);
            assertThat(failures).as("failure messages").noneMatch(text -> text.contains(secret));
        }
    }

    private void runBootstrapAndSink(OpenSearchConfig right, OpenSearchConfig wrong, String index) throws Exception {
        bootstrapAndSink(right, index);
        failingBootstrapAndSink(wrong, index);
    }

    private void bootstrapAndSink(OpenSearchConfig config, String index) throws Exception {
        try (IndexBootstrap bootstrap = new IndexBootstrap(config)) {
            bootstrap.ensureIndex(index, SigV4SinkIT.MAPPING);
        }
        SinkJobs.run(config, index, SigV4SinkIT.documents(index, 5));
    }

    private void failingBootstrapAndSink(OpenSearchConfig config, String index) throws Exception {
        try (IndexBootstrap bootstrap = new IndexBootstrap(config)) {
            assertThatThrownBy(() -> bootstrap.ensureIndex(index, SigV4SinkIT.MAPPING))
                    .isInstanceOf(IndexBootstrapException.class)
                    .satisfies(e -> failures.add(Failures.messages(e)));
        }
        assertThatThrownBy(() -> SinkJobs.run(config, index + "-refused", SigV4SinkIT.documents(index, 5)))
                .satisfies(e -> failures.add(Failures.messages(e)));
    }

    /** The capture really saw the runs: our own lines, the REST client's debug lines, and the job's failure. */
    private void assertCaptured(String logs, String index) {
        assertThat(logs).contains("Index '" + index + "' created from its mapping file")
                .contains("org.opensearch.client.RestClient")
                .contains("switched from RUNNING to FAILED");
        assertThat(failures).hasSizeGreaterThanOrEqualTo(2);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private String index(String name) {
        indices.add(name);
        OPENSEARCH.server().deleteIndex(name);
        return name;
    }
}
