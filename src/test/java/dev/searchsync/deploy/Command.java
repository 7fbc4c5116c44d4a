package dev.searchsync.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Runs node and terraform for the checks, always with a time limit: a hung tool must fail the build, not stall it. */
final class Command {
    /** What a finished process printed: stdout and stderr apart (hcl2json prints JSON on one, errors on the other). */
    record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout.isEmpty() ? stderr : stderr.isEmpty() ? stdout : stdout + "\n" + stderr;
        }
    }

    private Command() {}

    static Result run(Path directory, Duration timeout, List<String> command) {
        return run(directory, timeout, Map.of(), command);
    }

    static Result run(Path directory, Duration timeout, Map<String, String> environment, List<String> command) {
        Path out = null;
        Path err = null;
        try {
            // Files, not pipes: a process that fills one pipe while we wait on the other would never end.
            out = Files.createTempFile("command-", ".out");
            err = Files.createTempFile("command-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " (in " + directory
                        + ") did not finish within " + timeout.toSeconds() + " s; output so far:\n"
                        + Files.readString(out, StandardCharsets.UTF_8)
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command) + " in " + directory, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** The directory on PATH that holds an executable {@code name}, if any. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                Path candidate = Path.of(entry, name);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    private static File nullDevice() {
        return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // A leftover temporary file is harmless; the result matters more.
            }
        }
    }
}
