package dev.searchsync.it;

import dev.searchsync.deadletter.DeadLetter;
import dev.searchsync.deadletter.DeadLetterJson;
import dev.searchsync.testbed.S3ProxyServer;

import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Reads the dead letters under a prefix of the test S3Proxy as an operator would: committed files only. */
public final class DeadLetterFiles {
    private DeadLetterFiles() {}

    /** The files under {@code prefix}, leaving out hidden ones (part files the FileSink has not committed yet). */
    public static List<S3Object> committed(S3ProxyServer s3, String bucket, String prefix) {
        return s3.client().listObjectsV2(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .filter(o -> !o.key().substring(o.key().lastIndexOf('/') + 1).startsWith("."))
                .collect(Collectors.toList());
    }

    /** Every letter in those files. */
    public static List<DeadLetter> read(S3ProxyServer s3, String bucket, String prefix) {
        List<DeadLetter> letters = new ArrayList<>();
        for (S3Object file : committed(s3, bucket, prefix)) {
            String body = s3.client().getObjectAsBytes(b -> b.bucket(bucket).key(file.key())).asUtf8String();
            for (String line : body.split("\n")) {
                if (!line.isBlank()) {
                    letters.add(DeadLetterJson.read(line));
                }
            }
        }
        return letters;
    }

    /**
     * The letters, once at least {@code expected} are there (within a minute); {@code checkJob} runs on every
     * poll, so a job that ended fails the wait at once.
     */
    static List<DeadLetter> await(S3ProxyServer s3, String bucket, String prefix, int expected, CheckedRunnable checkJob)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        List<DeadLetter> letters = List.of();
        while (System.nanoTime() < deadline) {
            checkJob.run();
            letters = read(s3, bucket, prefix);
            if (letters.size() >= expected) {
                return letters;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("expected " + expected + " dead letters, found " + letters.size() + ": "
                + letters.stream().map(DeadLetter::toString).collect(Collectors.toList()));
    }

    /** A check that may throw. */
    @FunctionalInterface
    interface CheckedRunnable {
        void run() throws Exception;
    }
}
