package dev.searchsync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.searchsync.config.InvalidConfigurationException;
import dev.searchsync.config.PropertyGroups;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LocalJob refuses what it cannot run before it starts a cluster or touches OpenSearch. */
class LocalJobTest {
    @TempDir
    Path dir;

    @Test
    void anInvalidConfigurationIsReportedWithoutAStackTrace() throws Exception {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"source\": {\"table.name\": \"orders\", \"strat.position\": \"LATEST\"}}");
        PrintStream originalErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = LocalJob.run(file, dir.resolve("no-flink-conf"), null);
        } finally {
            System.setErr(originalErr);
        }
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("searchsync did not start", "strat.position", "opensearch")
                .doesNotContain("\tat ");
    }

    @Test
    void startChecksTheConfigurationFirst() {
        assertThatThrownBy(() -> LocalJob.start(PropertyGroups.of(Map.of()), new Configuration()))
                .isInstanceOf(InvalidConfigurationException.class);
    }

    @Test
    void aTakenDashboardPortIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Configuration conf = new Configuration();
            conf.set(RestOptions.PORT, taken.getLocalPort());
            PropertyGroups groups = PropertyGroups.of(Map.of(
                    "source", Map.of("table.name", "orders"),
                    "opensearch", Map.of("endpoint", "http://127.0.0.1:1")));
            assertThatThrownBy(() -> LocalJob.start(groups, conf))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort() + " is in use");
        }
    }
}
