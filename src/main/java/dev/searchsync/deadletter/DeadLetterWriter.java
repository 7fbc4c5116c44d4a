package dev.searchsync.deadletter;

import dev.searchsync.config.DeadLetterConfig;
import dev.searchsync.opensearch.RejectedActionHandler;

import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.FileSystem.WriteMode;
import org.apache.flink.core.fs.Path;
import org.apache.flink.metrics.MetricGroup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Writes dead letters synchronously and durably, for the sink side: OpenSearch's rejections are written here, on the
 * task thread, before the bulk request is acknowledged and so before the checkpoint that covers them completes.
 *
 * <p>Each call writes new files (one per UTC hour its letters failed in: one, in practice, for the letters of one
 * bulk response) under the same {@code <path>/dt=YYYY-MM-DD/hour=HH/} layout as the file sink, named
 * {@code rejected-<jobId>-<subtask>-<uuid>.jsonl} so no two writers can collide. A file is complete once
 * {@link #write} returns: on S3 the object only exists once its stream is closed, locally it is synced to disk. When
 * it cannot write, {@link #write} throws, so the job fails and replays the bulk instead of losing letters. A replay
 * can write a letter again (at-least-once): {@code origin} (shard, sequence, sub-sequence) tells duplicates apart.
 *
 * <p>Serializable, to be built where the job graph is and shipped to the tasks; the file system is opened on first
 * use.
 */
public final class DeadLetterWriter implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Files written by this class start with this. */
    public static final String FILE_PREFIX = "rejected-";

    private final DeadLetterConfig config;
    private transient FileSystem fileSystem;
    private transient DeadLetterMetrics metrics;

    public DeadLetterWriter(DeadLetterConfig config) {
        this.config = Objects.requireNonNull(config);
    }

    /** Counts the letters written from now on in {@code group} (see {@link DeadLetterMetrics}); returns this. */
    public DeadLetterWriter countingOn(MetricGroup group) {
        this.metrics = new DeadLetterMetrics(group);
        return this;
    }

    /**
     * Writes {@code letters} to new files and returns them once they are durable; nothing for an empty list.
     *
     * @throws UncheckedIOException naming the file and the count when a file cannot be written completely
     */
    public List<Path> write(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return List.of();
        }
        Map<String, List<DeadLetter>> byHour = new LinkedHashMap<>();
        for (DeadLetter letter : letters) {
            byHour.computeIfAbsent(HourBucketAssigner.bucketOf(letter.failedAt()), h -> new ArrayList<>())
                    .add(letter);
        }
        List<Path> written = new ArrayList<>(byHour.size());
        for (Map.Entry<String, List<DeadLetter>> hour : byHour.entrySet()) {
            written.add(writeFile(hour.getKey(), hour.getValue()));
        }
        if (metrics != null) {
            letters.forEach(metrics::count);
        }
        return written;
    }

    private Path writeFile(String bucket, List<DeadLetter> letters) {
        DeadLetter first = letters.get(0);
        String name = FILE_PREFIX + first.getJob().getId() + "-" + first.getJob().getSubtask() + "-" + UUID.randomUUID()
                + DeadLetterSinks.PART_SUFFIX;
        Path file = new Path(new Path(new Path(config.path()), bucket), name);
        FileSystem fs;
        try {
            fs = fileSystem();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + letters.size() + " dead letter(s) to " + file
                    + ": no file system for " + config.path() + ": " + e.getMessage(), e);
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(letters.size() * 2048);
            for (DeadLetter letter : letters) {
                bytes.write(DeadLetterEncoder.line(letter));
            }
            try (FSDataOutputStream stream = fs.create(file, WriteMode.NO_OVERWRITE)) {
                bytes.writeTo(stream);
                if (!fs.isDistributedFS()) {
                    // Local disk: make the file survive a crash. An S3 object is durable once close() returns (and
                    // S3's streams only warn or throw on flush and sync, so they get neither).
                    stream.flush();
                    stream.sync();
                }
            }
            return file;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(fs, file);
            throw new UncheckedIOException("Cannot write " + letters.size() + " dead letter(s) to " + file + ": "
                    + e.getMessage(), e instanceof IOException ? (IOException) e : new IOException(e));
        }
    }

    private FileSystem fileSystem() throws IOException {
        if (fileSystem == null) {
            fileSystem = FileSystem.get(new Path(config.path()).toUri());
        }
        return fileSystem;
    }

    private static void deleteQuietly(FileSystem fs, Path file) {
        try {
            fs.delete(file, false);
        } catch (IOException | RuntimeException ignored) {
            // The write already failed and is reported; a partial file left behind is at worst a short file.
        }
    }

    /**
     * The sink's {@link RejectedActionHandler}: each sink writer writes what OpenSearch refused through its own
     * writer, stamped with its job and subtask and counted on its metric group.
     */
    public static RejectedActionHandler.Factory rejectedActions(DeadLetterConfig config) {
        return metrics -> {
            DeadLetterWriter writer = new DeadLetterWriter(config).countingOn(metrics);
            JobInfo job = JobInfo.of(metrics);
            return rejected -> writer.write(
                    rejected.stream().map(failed -> DeadLetter.of(failed, job)).collect(Collectors.toList()));
        };
    }

    @Override
    public String toString() {
        return "DeadLetterWriter{" + config.path() + '}';
    }
}
