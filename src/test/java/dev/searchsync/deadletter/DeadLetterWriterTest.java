package dev.searchsync.deadletter;

import dev.searchsync.config.DeadLetterConfig;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;

import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.testutils.MetricListener;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sink side's synchronous writer, on the local file system. */
class DeadLetterWriterTest {
    private static final JobInfo JOB = JobInfo.of("searchsync", "0123456789abcdef0123456789abcdef", 1);

    @TempDir
    java.nio.file.Path dir;

    @Test
    void writesOneNewFilePerCallAndHour() throws Exception {
        DeadLetterWriter writer = InstantiationUtil.clone(new DeadLetterWriter(DeadLetterConfig.of(
                dir.toUri().toString())));
        List<DeadLetter> letters = List.of(letter("a", Letters.BEFORE_MIDNIGHT), letter("b", Letters.BEFORE_MIDNIGHT),
                letter("c", Letters.AFTER_MIDNIGHT));
        List<Path> first = writer.write(letters);
        List<Path> second = writer.write(letters.subList(0, 1));

        assertThat(first).hasSize(2);
        assertThat(second).hasSize(1);
        assertThat(first.get(0).getParent().getPath()).endsWith("/dt=2026-03-01/hour=23");
        assertThat(first.get(1).getParent().getPath()).endsWith("/dt=2026-03-02/hour=00");
        assertThat(second.get(0)).isNotEqualTo(first.get(0));
        for (Path file : List.of(first.get(0), first.get(1), second.get(0))) {
            assertThat(file.getName()).matches("rejected-0123456789abcdef0123456789abcdef-1-[0-9a-f-]{36}\\.jsonl");
        }
        assertThat(read(first.get(0))).containsExactly(letters.get(0), letters.get(1));
        assertThat(read(first.get(1))).containsExactly(letters.get(2));
        assertThat(read(second.get(0))).containsExactly(letters.get(0));
        assertThat(Files.readString(java.nio.file.Path.of(first.get(1).toUri()))).endsWith("}\n");
        try (Stream<java.nio.file.Path> files = Files.walk(dir)) {
            assertThat(files.filter(Files::isRegularFile).count()).isEqualTo(3);
        }
    }

    @Test
    void nothingToWriteWritesNothing() throws Exception {
        assertThat(new DeadLetterWriter(DeadLetterConfig.of(dir.toUri().toString())).write(List.of())).isEmpty();
        try (Stream<java.nio.file.Path> files = Files.list(dir)) {
            assertThat(files.count()).isZero();
        }
    }

    @Test
    void throwsWhenItCannotWrite() throws Exception {
        java.nio.file.Path blocker = Files.writeString(dir.resolve("not-a-folder"), "x");
        DeadLetterWriter writer = new DeadLetterWriter(DeadLetterConfig.of(blocker.toUri() + "/dead-letters"));
        assertThatThrownBy(() -> writer.write(List.of(letter("a", Letters.BEFORE_MIDNIGHT))))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("Cannot write 1 dead letter(s) to file:")
                .hasMessageContaining("/not-a-folder/dead-letters/dt=2026-03-01/hour=23/rejected-");
    }

    @Test
    void countsWhatItWrote() {
        MetricListener listener = new MetricListener();
        DeadLetterWriter writer = new DeadLetterWriter(DeadLetterConfig.of(dir.toUri().toString()))
                .countingOn(listener.getMetricGroup());
        writer.write(List.of(letter("a", 1L), letter("b", 2L)));
        assertThat(listener.getCounter("deadLetters", "index").orElseThrow().getCount()).isEqualTo(2);
    }

    static DeadLetter letter(String id, long failedAt) {
        DocumentAction action = DocumentAction.index("orders", id, "{\"n\":" + Letters.BIG + "}",
                Letters.origin(Letters.change(id))).withVersion(1);
        return DeadLetter.of(FailedChange.rejected(action, Failure.of(FailureStage.INDEX, "mapper_parsing_exception",
                "failed to parse field [n]: " + Letters.NASTY_TEXT, 400, failedAt)), JOB);
    }

    static List<DeadLetter> read(Path file) throws Exception {
        List<DeadLetter> letters = new ArrayList<>();
        for (String line : Files.readAllLines(java.nio.file.Path.of(file.toUri()), StandardCharsets.UTF_8)) {
            letters.add(DeadLetterJson.read(line));
        }
        return letters;
    }
}
