package dev.searchsync.deadletter;

import dev.searchsync.config.DeadLetterConfig;
import dev.searchsync.testbed.S3FileSystems;
import dev.searchsync.testbed.S3ProxyExtension;
import dev.searchsync.testbed.S3ProxyServer;

import org.apache.flink.core.fs.Path;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The sink side's synchronous writer against S3 (S3Proxy with SigV4): durable once write() returns, or throws. */
class DeadLetterWriterIT {
    private static final String BUCKET = "dead-letter-writer-it";

    @RegisterExtension
    static final S3ProxyExtension S3 = new S3ProxyExtension();

    @BeforeAll
    static void pointS3AtTheTestBed() {
        S3FileSystems.useS3Proxy(S3.server());
        S3.server().createBucket(BUCKET);
    }

    @AfterAll
    static void resetFileSystems() {
        S3FileSystems.reset();
    }

    @Test
    void writesObjectsThatListAndReadBack() throws Exception {
        S3ProxyServer s3 = S3.server();
        DeadLetterWriter writer = InstantiationUtil.clone(
                new DeadLetterWriter(DeadLetterConfig.of("s3://" + BUCKET + "/searchsync/dead-letters/")));
        List<DeadLetter> letters = List.of(DeadLetterWriterTest.letter("a", Letters.BEFORE_MIDNIGHT),
                DeadLetterWriterTest.letter("b", Letters.BEFORE_MIDNIGHT),
                DeadLetterWriterTest.letter("c", Letters.AFTER_MIDNIGHT));
        List<Path> first = writer.write(letters);
        List<Path> second = writer.write(letters.subList(2, 3));

        List<String> keys = s3.client().listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix("searchsync/"))
                .contents().stream().map(S3Object::key).sorted().collect(Collectors.toList());
        assertThat(keys).hasSize(3).allMatch(key -> key.matches("searchsync/dead-letters/dt=2026-03-0[12]/hour=(23|00)/"
                + "rejected-0123456789abcdef0123456789abcdef-1-[0-9a-f-]{36}\\.jsonl"));
        assertThat(first).hasSize(2);
        assertThat(first.get(0).toUri().toString()).startsWith("s3://" + BUCKET
                + "/searchsync/dead-letters/dt=2026-03-01/hour=23/rejected-");
        assertThat(second.get(0)).isNotEqualTo(first.get(1));

        assertThat(read(s3, key(first.get(0)))).containsExactly(letters.get(0), letters.get(1));
        assertThat(read(s3, key(first.get(1)))).containsExactly(letters.get(2));
        assertThat(read(s3, key(second.get(0)))).containsExactly(letters.get(2));
    }

    @Test
    void throwsWhenTheBucketIsMissing() {
        DeadLetterWriter writer = new DeadLetterWriter(DeadLetterConfig.of("s3://no-such-bucket-here/dead-letters"));
        assertThatThrownBy(() -> writer.write(List.of(DeadLetterWriterTest.letter("a", Letters.BEFORE_MIDNIGHT))))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("Cannot write 1 dead letter(s) to s3://no-such-bucket-here/dead-letters/"
                        + "dt=2026-03-01/hour=23/rejected-");
    }

    private static String key(Path path) {
        return path.toUri().getPath().substring(1);
    }

    private static List<DeadLetter> read(S3ProxyServer s3, String key) {
        String text = s3.client().getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asString(StandardCharsets.UTF_8);
        List<DeadLetter> letters = new ArrayList<>();
        for (String line : text.split("\n")) {
            letters.add(DeadLetterJson.read(line));
        }
        return letters;
    }
}
