package dev.searchsync.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The argument handling of job/run-local, which answers before it builds or starts anything. */
class RunLocalScriptTest {
    private static final Path SCRIPT = Path.of("job", "run-local");

    record Result(int exit, String output) {}

    @Test
    void isExecutable() {
        assertThat(Files.isExecutable(SCRIPT)).isTrue();
    }

    @Test
    void helpDescribesTheModes() throws Exception {
        Result result = run("--help");
        assertThat(result.exit()).isZero();
        assertThat(result.output()).contains("./job/run-local --properties FILE", "--servers-only",
                "http://127.0.0.1:8081", "./job/run-local --kinesis", "./job/run-local --logs",
                "--servers-only [--kinesis | --logs]", "RUN_LOCAL_JAVA_OPTS=-Daws.cborEnabled=false");
    }

    @Test
    void kinesisGoesWithTheDemoNotWithProperties() throws Exception {
        Result result = run("--kinesis", "--properties", "pom.xml");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("--kinesis goes with the demo or --servers-only");
    }

    @Test
    void logsGoesWithTheDemoNotWithPropertiesNorWithKinesis() throws Exception {
        Result withProperties = run("--logs", "--properties", "pom.xml");
        assertThat(withProperties.exit()).isEqualTo(2);
        assertThat(withProperties.output()).contains("--logs goes with the demo or --servers-only");
        Result withKinesis = run("--servers-only", "--kinesis", "--logs");
        assertThat(withKinesis.exit()).isEqualTo(2);
        assertThat(withKinesis.output()).contains("--kinesis and --logs are two demos");
    }

    @Test
    void unknownArgumentIsRefused() throws Exception {
        Result result = run("--bogus");
        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.output()).contains("unknown argument: --bogus", "Usage:");
    }

    @Test
    void propertiesNeedAnExistingFile() throws Exception {
        assertThat(run("--properties").exit()).isEqualTo(2);
        Result missing = run("--properties", "no-such-file.json");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.output()).contains("no such file: no-such-file.json");
    }

    @Test
    void flinkConfGoesWithPropertiesAndAnExistingFolder() throws Exception {
        Result alone = run("--flink-conf", "flink-conf");
        assertThat(alone.exit()).isEqualTo(2);
        assertThat(alone.output()).contains("--flink-conf goes with --properties");
        Result missing = run("--properties", "pom.xml", "--flink-conf", "no-such-folder");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.output()).contains("no such folder: no-such-folder");
    }

    private static Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }
}
