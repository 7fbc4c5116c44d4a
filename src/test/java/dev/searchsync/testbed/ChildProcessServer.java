package dev.searchsync.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life cycle OpenSearch and S3Proxy share as child processes: free loopback ports, picked again when another
 * process wins the race to bind them; a wait until the server answers; {@link #stop()} that keeps files and ports
 * so that {@link #start()} can simulate an outage; and {@link #close()} that deletes everything, also at JVM exit.
 */
public abstract class ChildProcessServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChildProcessServer.class);

    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final int BIND_ATTEMPTS = 3;

    private final String name;
    private final String folderName;
    private final int portCount;
    private final Duration readyTimeout;
    private final Duration pollInterval;

    private Path tempDir;
    private Path logFile;
    private int[] ports;
    private Process process;
    private Thread shutdownHook;
    private boolean closed;

    /**
     * @param name how messages name the server, e.g. {@code OpenSearch}
     * @param folderName prefix of its temporary folder and name of its log file
     */
    protected ChildProcessServer(String name, String folderName, int portCount, Duration readyTimeout,
            Duration pollInterval) {
        this.name = name;
        this.folderName = folderName;
        this.portCount = portCount;
        this.readyTimeout = readyTimeout;
        this.pollInterval = pollInterval;
    }

    /** Fills the new temporary folder, {@link #tempDir()}, before the first launch (unpacking, folders). */
    protected abstract void prepare();

    /** The command for one launch on the current ports; its output is appended to {@link #logFile()}. */
    protected abstract ProcessBuilder launchCommand();

    /** True once the launched server serves requests. */
    protected abstract boolean answers();

    /** Runs after every successful start, e.g. to apply settings. */
    protected void afterStart() {}

    /** Where the started server is reached, for the log line. */
    protected abstract String address();

    /**
     * Starts the server and waits until it answers; the first call prepares the temporary folder, later calls
     * (after {@link #stop()}) reuse its files and ports.
     */
    public final synchronized void start() {
        if (closed) {
            throw new IllegalStateException(name + " test server was closed");
        }
        if (isRunning()) {
            return;
        }
        long started = System.nanoTime();
        if (tempDir == null) {
            tempDir = TestbedSupport.createTempDir(folderName);
            shutdownHook = TestbedSupport.addShutdownHook(folderName + "-testbed", this::closeQuietly);
            logFile = tempDir.resolve(folderName + ".log");
            prepare();
        }
        boolean samePorts = ports != null;
        for (int attempt = 1; ; attempt++) {
            if (!samePorts) {
                ports = TestbedSupport.freeLoopbackPorts(portCount);
            }
            if (launchAndAwaitReady() || samePorts || attempt == BIND_ATTEMPTS) {
                break;
            }
            LOG.info("{} lost a race for its ports; retrying on new ones", name);
        }
        if (!isRunning()) {
            throw new IllegalStateException(name + " could not bind ports " + portList() + "; last lines of "
                    + logFile + ":\n" + TestbedSupport.tail(logFile, 50));
        }
        afterStart();
        LOG.info("{} ready at {} in {} ms (folder {})", name, address(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), tempDir);
    }

    /** Stops the process (TERM, then KILL after 10 s) but keeps files and ports for {@link #start()}. */
    public synchronized void stop() {
        if (process != null) {
            long started = System.nanoTime();
            TestbedSupport.destroyTree(process, STOP_GRACE);
            process = null;
            LOG.info("{} stopped in {} ms", name, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    /** Stops the server for good and deletes its temporary folder. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        TestbedSupport.removeShutdownHook(shutdownHook);
        stop();
        TestbedSupport.deleteRecursively(tempDir);
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The file that receives the server's stdout and stderr (appended to across restarts). */
    public synchronized Path logFile() {
        return logFile;
    }

    /** The server's own folder, deleted by {@link #close()}; null before the first start. */
    protected synchronized Path tempDir() {
        return tempDir;
    }

    /** The {@code index}th of the server's ports; throws before the first start. */
    protected synchronized int port(int index) {
        if (ports == null) {
            throw new IllegalStateException(name + " test server has not been started");
        }
        return ports[index];
    }

    /** Returns false only when the process died because its ports were taken meanwhile. */
    private boolean launchAndAwaitReady() {
        long logOffset = logSize();
        ProcessBuilder builder = launchCommand()
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + builder.command(), e);
        }
        long deadline = System.nanoTime() + readyTimeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                int exit = process.exitValue();
                process = null;
                String newLog = logSince(logOffset);
                if (newLog.contains("BindException") || newLog.contains("Address already in use")) {
                    return false;
                }
                throw new IllegalStateException(name + " exited with code " + exit + " before it was ready;"
                        + " last lines of " + logFile + ":\n" + TestbedSupport.tail(logFile, 50));
            }
            if (answers()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                stop();
                throw new IllegalStateException(name + " was not ready within " + readyTimeout.toSeconds()
                        + " s; last lines of " + logFile + ":\n" + TestbedSupport.tail(logFile, 50));
            }
            TestbedSupport.sleep(pollInterval);
        }
    }

    private String portList() {
        return Arrays.stream(ports).mapToObj(Integer::toString).collect(Collectors.joining("/"));
    }

    private long logSize() {
        try {
            return Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String logSince(long offset) {
        try {
            String all = Files.readString(logFile, StandardCharsets.ISO_8859_1);
            return all.substring((int) Math.min(offset, all.length()));
        } catch (IOException e) {
            return "";
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException ignored) {
            // Last-chance cleanup at JVM exit: nothing left to report to.
        }
    }
}
