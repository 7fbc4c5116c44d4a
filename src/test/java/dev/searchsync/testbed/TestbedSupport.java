package dev.searchsync.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/** Plumbing shared by the test servers, kept in one place so every server cleans up the same way. */
final class TestbedSupport {

    /** Prefix of every temporary folder the test bed creates, so leftovers are easy to spot in /tmp. */
    static final String TEMP_PREFIX = "searchsync-testbed-";

    private TestbedSupport() {}

    /** The folder the pom fills in generate-test-resources; falls back to target/testbed for IDE runs. */
    static Path testbedDir() {
        String configured = System.getProperty("searchsync.testbed.dir");
        Path dir = configured != null && !configured.isBlank()
                ? Path.of(configured)
                : Path.of(System.getProperty("user.dir"), "target", "testbed");
        return dir.toAbsolutePath();
    }

    static Path requireArtifact(String name) {
        Path file = testbedDir().resolve(name);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(
                    file + " is missing: run `mvn generate-test-resources` (it copies the test servers there)");
        }
        return file;
    }

    /**
     * Creates /tmp/searchsync-testbed-NAME-*, readable and traversable by others, because OpenSearch runs
     * as another user and needs o+x on every parent of its home.
     */
    static Path createTempDir(String name) {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), TEMP_PREFIX + name + "-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    /**
     * Free loopback ports, all distinct: the sockets stay open until every port is chosen. The server
     * binds them a moment later, so callers retry on a bind failure.
     */
    static int[] freeLoopbackPorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            sockets.forEach(TestbedSupport::closeQuietly);
        }
    }

    /** Whether nothing listens on the port on any address (some servers bind the wildcard address). */
    static boolean isPortFree(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // Closing a probe socket cannot fail in a way that matters.
        }
    }

    /** The java binary of this JVM, so helper processes run on the same JDK as the tests. */
    static String currentJavaBinary() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    static boolean runningAsRoot() {
        try {
            // /proc/self belongs to the effective user of this process.
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * Ends a server process and everything it spawned: TERM to the children then the process, KILL to
     * whatever is still alive after the grace period. Children are listed first because they are
     * re-parented (and no longer found) once their parent dies.
     */
    static void destroyTree(Process process, Duration grace) {
        if (process == null) {
            return;
        }
        List<ProcessHandle> tree = process.descendants().collect(Collectors.toCollection(ArrayList::new));
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + grace.toNanos();
        for (ProcessHandle handle : tree) {
            awaitExit(handle, Math.max(0, deadline - System.nanoTime()));
        }
        List<ProcessHandle> survivors = tree.stream().filter(ProcessHandle::isAlive).collect(Collectors.toList());
        survivors.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : survivors) {
            awaitExit(handle, TimeUnit.SECONDS.toNanos(10));
        }
    }

    private static void awaitExit(ProcessHandle handle, long nanos) {
        try {
            handle.onExit().get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // The caller escalates to KILL.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of a server's log, for failure messages that explain themselves. */
    static String tail(Path log, int lines) {
        try {
            if (!Files.exists(log)) {
                return "(no log at " + log + ")";
            }
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }

    static boolean logContains(Path log, String text) {
        try {
            return Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a test server", e);
        }
    }

    /**
     * Runs {@code close} when the JVM exits, in case the run is aborted before JUnit closes the server;
     * returns the hook so a normal close can unregister it.
     */
    static Thread addShutdownHook(String name, Runnable close) {
        Thread hook = new Thread(close, name + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    static void removeShutdownHook(Thread hook) {
        if (hook == null || hook == Thread.currentThread()) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook runs (or ran) anyway and closing twice is harmless.
        }
    }
}
