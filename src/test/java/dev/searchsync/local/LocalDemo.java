package dev.searchsync.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.searchsync.config.PropertyGroups;
import dev.searchsync.deadletter.DeadLetter;
import dev.searchsync.it.DeadLetterFiles;
import dev.searchsync.testbed.OpenSearchServer;
import dev.searchsync.testbed.S3FileSystems;
import dev.searchsync.testbed.S3ProxyServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * What {@code ./job/run-local} starts: moto (the open-source AWS emulator) with the demo table {@code demo-orders} and
 * a {@link DemoWriter} producing changes, or with {@code --kinesis} kinesis-local with the stream {@code demo-events}
 * and a {@link KinesisDemoWriter}, or with {@code --logs} moto with log group {@code /demo/app} subscribed to the
 * stream {@code demo-logs} and a {@link LogsDemoWriter} ({@link DemoInput}); OpenSearch, S3Proxy with the bucket the
 * dead letters go to, and searchsync itself on a local Flink cluster with the dashboard ({@link LocalJob}). The servers
 * are the test bed's, so the demo runs against exactly what the integration tests check. Everything stops on
 * {@link #close()}, which a shutdown hook calls on Ctrl-C.
 *
 * <pre>
 * LocalDemo [--rest-port PORT] [--servers-only] [--kinesis | --logs]
 * </pre>
 */
public final class LocalDemo implements AutoCloseable {
    public static final String INDEX = DynamoDbDemoInput.INDEX;
    public static final String DEAD_LETTER_BUCKET = "searchsync-dead-letters";
    /** Where in the bucket the job writes dead letters, and the folder it watches for letters to redrive. */
    public static final String DEAD_LETTER_FOLDER = "dead-letters";
    public static final String REDRIVE_FOLDER = "redrive";
    public static final String PROPERTIES_FILE_NAME = "demo.properties.json";
    public static final String ORDER_OPERATOR = DynamoDbDemoInput.ORDER_OPERATOR;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    /** Where things go; the defaults are run-local's, relative to the project root. */
    public static final class Options {
        /** Dashboard port; null takes rest.port from the flink-conf folder (8081). */
        Integer restPort;
        Path workDir = Path.of(".run-local");
        Path flinkConfDir = Path.of(LocalJob.DEFAULT_FLINK_CONF_DIR);
        int orders = 2_000;
        /** Changes (DynamoDB) or events (Kinesis) per second. */
        double unitsPerSecond = 50;
        /** One change or event in this many is poison that becomes a dead letter (about one a minute). */
        long poisonEvery = 3_000;
        /** False starts the servers and the writer only, for running the job separately with --properties. */
        boolean runJob = true;
        /** True: the Kinesis input (kinesis-local, stream demo-events) instead of DynamoDB's (moto, demo-orders). */
        boolean kinesis;
        /** True: CloudWatch Logs (moto, log group /demo/app into stream demo-logs); needs -Daws.cborEnabled=false. */
        boolean logs;
        PrintStream out = System.out;

        /** The options of {@code LocalDemo}'s command line; IllegalArgumentException for an unknown one. */
        public static Options parse(String... args) {
            Options options = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--rest-port":
                        if (i + 1 == args.length) {
                            throw new IllegalArgumentException("--rest-port needs a port");
                        }
                        options.restPort(Integer.parseInt(args[++i]));
                        break;
                    case "--servers-only":
                        options.runJob(false);
                        break;
                    case "--kinesis":
                        options.kinesis = true;
                        break;
                    case "--logs":
                        options.logs = true;
                        break;
                    default:
                        throw new IllegalArgumentException("unknown argument: " + args[i]);
                }
            }
            if (options.kinesis && options.logs) {
                throw new IllegalArgumentException("--kinesis and --logs are two demos: choose one");
            }
            return options;
        }

        public Options restPort(int port) {
            this.restPort = port;
            return this;
        }

        public Options workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        public Options runJob(boolean run) {
            this.runJob = run;
            return this;
        }

        public Options out(PrintStream stream) {
            this.out = stream;
            return this;
        }
    }

    private final Options options;
    private final long createdNanos = System.nanoTime();
    private volatile boolean closed;
    private final DemoInput input;
    private volatile OpenSearchServer opensearch;
    private volatile S3ProxyServer s3proxy;
    private volatile PacedWriter writer;
    private volatile JobClient job;
    private volatile String restUrl;
    private volatile FlinkRest rest;
    private volatile Path propertiesFile;
    private volatile Path flinkConfDir;
    private volatile long serversReadyNanos;
    private volatile long jobStartedNanos;
    private volatile long firstDocumentsNanos;
    private long lastWritten;

    public LocalDemo(Options options) {
        this.options = options;
        this.input = options.kinesis ? new KinesisDemoInput()
                : options.logs ? new CloudWatchLogsDemoInput() : new DynamoDbDemoInput();
    }

    /** Starts everything and returns once the job is submitted and the writer runs; close() undoes a partial start. */
    public LocalDemo start() throws Exception {
        PrintStream out = options.out;
        quietStartupWarnings();
        out.println("Starting " + input.emulatorName() + ", OpenSearch and S3Proxy (OpenSearch takes 10-20 s) ...");
        Configuration flinkConf = LocalJob.loadFlinkConf(options.flinkConfDir);
        if (options.restPort != null) {
            flinkConf.set(RestOptions.PORT, options.restPort);
        }
        String restHost = flinkConf.getOptional(RestOptions.BIND_ADDRESS).orElse("127.0.0.1");
        if (options.runJob) {
            // Fail before the slow part when another run already holds the dashboard port.
            LocalJob.requirePortFree(restHost, flinkConf.get(RestOptions.PORT));
        }

        // OpenSearch is the slow one: it boots in its own thread while the other two start here.
        opensearch = new OpenSearchServer();
        CompletableFuture<Void> opensearchUp = CompletableFuture.runAsync(opensearch::start,
                command -> new Thread(command, "opensearch-start").start());
        try {
            s3proxy = new S3ProxyServer();
            s3proxy.start();
            s3proxy.createBucket(DEAD_LETTER_BUCKET);
            checkNotClosed();
            input.start();
        } finally {
            try {
                opensearchUp.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
            }
        }
        checkNotClosed();
        serversReadyNanos = System.nanoTime();

        Map<String, Map<String, String>> groups = propertyGroups();
        propertiesFile = writePropertiesFile(groups);
        // The job's s3:// file system (dead letters, redrive) goes to S3Proxy: LocalJob applies the cluster settings to
        // Flink's file systems. A copy with them lets a job started apart (--servers-only) reach S3Proxy too.
        Configuration s3 = S3FileSystems.configuration(s3proxy);
        flinkConf.addAll(s3);
        flinkConfDir = writeFlinkConf(s3);

        if (options.runJob) {
            job = LocalJob.start(PropertyGroups.of(groups), flinkConf);
            jobStartedNanos = System.nanoTime();
            restUrl = "http://" + restHost + ":" + flinkConf.get(RestOptions.PORT);
            rest = new FlinkRest(restUrl);
        }
        checkNotClosed();
        writer = input.writer(options);
        writer.start();
        return this;
    }

    /** The job's property groups, as a user would write them for these servers. */
    Map<String, Map<String, String>> propertyGroups() {
        Map<String, Map<String, String>> groups = new LinkedHashMap<>();
        input.addGroups(groups);
        Map<String, String> opensearchGroup = new LinkedHashMap<>();
        opensearchGroup.put("endpoint", opensearch.httpUrl());
        opensearchGroup.put("bulk.flush.interval.ms", "500");
        groups.put("opensearch", opensearchGroup);
        Map<String, String> deadLetters = new LinkedHashMap<>();
        deadLetters.put("path", deadLetterUri(DEAD_LETTER_FOLDER));
        deadLetters.put("redrive.path", deadLetterUri(REDRIVE_FOLDER));
        groups.put("deadletter", deadLetters);
        return groups;
    }

    /** {@code flink-conf/flink-conf.yaml} with the demo's S3 settings appended, in the work folder. */
    private Path writeFlinkConf(Configuration s3) throws IOException {
        Path dir = options.workDir.resolve("flink-conf");
        Files.createDirectories(dir);
        Path original = options.flinkConfDir.resolve("flink-conf.yaml");
        StringBuilder yaml = new StringBuilder(Files.isRegularFile(original) ? Files.readString(original) : "");
        yaml.append("\n# Added by run-local: Flink's s3:// file system (dead letters, redrive) on the demo's S3Proxy.\n");
        s3.toMap().forEach((key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
        Files.writeString(dir.resolve("flink-conf.yaml"), yaml.toString());
        return dir;
    }

    private Path writePropertiesFile(Map<String, Map<String, String>> groups) throws IOException {
        Files.createDirectories(options.workDir);
        Path file = options.workDir.resolve(PROPERTIES_FILE_NAME);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), groups);
        return file;
    }

    /** Stops, in order: the writer, the job (and its cluster), then the servers. Safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (writer != null) {
            writer.close();
        }
        if (job != null) {
            LocalJob.cancel(job);
            awaitPortFree(restPort(), Duration.ofSeconds(20));
        }
        closeQuietly(s3proxy);
        closeQuietly(opensearch);
        closeQuietly(input);
    }

    public String progressLine() {
        StringBuilder line = new StringBuilder(LocalTime.now().format(CLOCK)).append("  ");
        if (writer != null) {
            long written = writer.written();
            line.append(input.progress(writer, lastWritten));
            lastWritten = written;
        }
        line.append(" | ").append(input.documentsLabel()).append(' ')
                .append(documentCount().map(c -> String.format(Locale.ROOT, "%,d docs", c)).orElse("n/a"));
        line.append(" | dead letters ").append(deadLetterCount().map(c -> String.format(Locale.ROOT, "%,d", c))
                .orElse("n/a"));
        if (job != null) {
            OptionalDouble lag = lagMillis();
            line.append(" | lag ").append(lag.isPresent()
                    ? String.format(Locale.ROOT, "%.1f s", lag.getAsDouble() / 1000) : "n/a");
            line.append(" | job ").append(jobStatus());
            long restarts = restarts();
            if (restarts > 0) {
                line.append(" (").append(restarts).append(restarts == 1 ? " restart" : " restarts")
                        .append(", see the log or the dashboard's Exceptions tab)");
            }
        }
        return line.toString();
    }

    /** Documents in the index (or the indices of the pattern) now ({@code _count}), or empty before they exist. */
    public java.util.Optional<Long> documentCount() {
        try {
            OpenSearchServer.Response response = opensearch.exchange("GET", "/" + input.documents() + "/_count", null);
            if (response.status() != 200) {
                return java.util.Optional.empty();
            }
            long count = new ObjectMapper().readTree(response.body()).path("count").asLong();
            if (count > 0 && firstDocumentsNanos == 0) {
                firstDocumentsNanos = System.nanoTime();
            }
            return java.util.Optional.of(count);
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** The dead letters the job has committed to the bucket so far (each checkpoint commits the letters before it). */
    public List<DeadLetter> deadLetters() {
        return DeadLetterFiles.read(s3proxy, DEAD_LETTER_BUCKET, DEAD_LETTER_FOLDER + "/");
    }

    private java.util.Optional<Integer> deadLetterCount() {
        try {
            return java.util.Optional.of(deadLetters().size());
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /** {@code s3://BUCKET/FOLDER} in the demo's bucket. */
    static String deadLetterUri(String folder) {
        return "s3://" + DEAD_LETTER_BUCKET + "/" + folder;
    }

    /** The largest lag gauge of the input's operator over its subtasks, once Flink reports it (not before a read). */
    public OptionalDouble lagMillis() {
        try {
            OptionalDouble lag = rest.maxMetric(jobId(), input.lagOperator(), input.lagMetric());
            // millisBehindLatest is -1 until the first batch is read.
            return lag.isPresent() && lag.getAsDouble() < 0 ? OptionalDouble.empty() : lag;
        } catch (RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    /** How often the job restarted after a failure (Flink's numRestarts); 0 when unknown. */
    public long restarts() {
        try {
            return rest.jobMetric(jobId(), "numRestarts").map(Long::parseLong).orElse(0L);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    public String jobStatus() {
        try {
            return job.getJobStatus().get(5, TimeUnit.SECONDS).name();
        } catch (Exception e) {
            return "unknown";
        }
    }

    /** Seconds from creation to the servers being ready, the job submitted, the first documents; -1 when not yet. */
    public double secondsToServers() {
        return seconds(serversReadyNanos);
    }

    public double secondsToJob() {
        return seconds(jobStartedNanos);
    }

    public double secondsToFirstDocuments() {
        return seconds(firstDocumentsNanos);
    }

    private double seconds(long at) {
        return at == 0 ? -1 : (at - createdNanos) / 1e9;
    }

    public String jobId() {
        return job == null ? null : job.getJobID().toHexString();
    }

    public JobClient job() {
        return job;
    }

    public FlinkRest rest() {
        return rest;
    }

    public String restUrl() {
        return restUrl;
    }

    public OpenSearchServer opensearch() {
        return opensearch;
    }

    public S3ProxyServer s3proxy() {
        return s3proxy;
    }

    public DemoInput input() {
        return input;
    }

    public PacedWriter writer() {
        return writer;
    }

    public Path propertiesFile() {
        return propertiesFile;
    }

    private int restPort() {
        return restUrl == null ? -1 : Integer.parseInt(restUrl.substring(restUrl.lastIndexOf(':') + 1));
    }

    private void printEndpoints() {
        PrintStream out = options.out;
        out.println();
        out.printf(Locale.ROOT, "Ready after %.1f s (servers after %.1f s).%n", secondsToJob() < 0
                ? secondsToServers() : secondsToJob(), secondsToServers());
        if (restUrl != null) {
            out.println("  Flink dashboard  " + restUrl + "   (job " + jobId() + ")");
        }
        out.println("  OpenSearch       " + opensearch.httpUrl() + "   index " + input.documents() + ": curl "
                + opensearch.httpUrl() + "/" + input.documents() + "/_search?pretty");
        input.printEmulator(out);
        out.println("  S3Proxy          " + s3proxy.endpoint() + "   bucket " + DEAD_LETTER_BUCKET + ", region "
                + s3proxy.region() + ", access key " + s3proxy.accessKey() + " / secret " + s3proxy.secretKey()
                + ", path-style");
        out.println("  Dead letters     " + deadLetterUri(DEAD_LETTER_FOLDER) + "   list them: AWS_ACCESS_KEY_ID="
                + s3proxy.accessKey() + " AWS_SECRET_ACCESS_KEY=" + s3proxy.secretKey() + " aws --endpoint-url "
                + s3proxy.endpoint() + " s3 ls --recursive " + deadLetterUri(DEAD_LETTER_FOLDER));
        out.println("  Redrive          " + deadLetterUri(REDRIVE_FOLDER) + "   copy a letter file here to send it"
                + " through the job again (docs/operations.md)");
        out.println("  Properties       " + propertiesFile + (restUrl == null ? "   run the job with: "
                + input.jobCommandPrefix() + "./job/run-local --properties " + propertiesFile + " --flink-conf "
                + flinkConfDir : ""));
        input.printWriting(out, options);
        if (restUrl != null) {
            out.println(input.lagExplained());
        }
        out.println(restUrl != null ? "Ctrl-C stops the writer, the job and the servers."
                : "Ctrl-C stops the writer and the servers.");
        out.println();
    }

    private void checkNotClosed() {
        if (closed) {
            throw new IllegalStateException("stopped while starting");
        }
    }

    static void awaitPortFree(int port, Duration timeout) {
        if (port <= 0) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void closeQuietly(AutoCloseable server) {
        if (server == null) {
            return;
        }
        try {
            server.close();
        } catch (Exception e) {
            System.err.println("Could not stop " + server.getClass().getSimpleName() + ": " + e);
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage()
                    + "\nUsage: LocalDemo [--rest-port PORT] [--servers-only] [--kinesis | --logs]");
            System.exit(2);
            return;
        }
        LocalDemo demo = new LocalDemo(options);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println();
            System.out.println("Stopping: writer, job, servers ...");
            long started = System.nanoTime();
            main.interrupt();
            // Ctrl-C in a terminal also reaches the servers (same process group), which may stop before the job is
            // cancelled: the job's errors about it (bulk retries, a failed shard listing) are expected now, not worth
            // a stack trace. The test bed's lines about stopping the servers stay.
            Configurator.setLevel("org.apache.flink", Level.OFF);
            Configurator.setLevel("dev.searchsync", Level.OFF);
            Configurator.setLevel("dev.searchsync.testbed", Level.INFO);
            demo.close();
            System.out.printf(Locale.ROOT, "Stopped in %.1f s.%n", (System.nanoTime() - started) / 1e9);
        }, "local-demo-shutdown"));
        try {
            demo.start();
        } catch (Exception e) {
            if (demo.closed) {
                return; // Ctrl-C during the start: the hook is cleaning up.
            }
            System.err.println("The local demo did not start: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
        demo.printEndpoints();
        demo.loop();
    }

    /** Flink warns about things a local cluster never has (delegation tokens, a log file for the dashboard). */
    private static void quietStartupWarnings() {
        Configurator.setLevel("org.apache.flink.runtime.security.token", Level.ERROR);
        Configurator.setLevel("org.apache.flink.runtime.webmonitor.WebMonitorUtils", Level.ERROR);
    }

    /** Prints progress every 5 s until the JVM stops; ends the process when the job or the writer dies. */
    private void loop() {
        boolean announced = false;
        for (long tick = 1; !closed; tick++) {
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            if (firstDocumentsNanos == 0) {
                documentCount(); // Every second until the first documents show, to time them.
            }
            if (tick % 5 != 0) {
                continue;
            }
            options.out.println(progressLine());
            if (!announced && firstDocumentsNanos != 0) {
                announced = true;
                options.out.printf(Locale.ROOT, "          (first documents were in the index %.1f s after the"
                        + " servers were up, %.1f s after launch)%n",
                        (firstDocumentsNanos - serversReadyNanos) / 1e9, secondsToFirstDocuments());
            }
            if (job != null) {
                try {
                    JobStatus status = job.getJobStatus().get(5, TimeUnit.SECONDS);
                    if (status.isGloballyTerminalState()) {
                        System.err.println("The job ended: " + status + ". See the log above; stopping.");
                        System.exit(1);
                    }
                } catch (Exception e) {
                    if (!closed) {
                        System.err.println("The job is gone (" + e + "); stopping.");
                        System.exit(1);
                    }
                }
            }
            if (writer.failure() != null) {
                System.err.println("The demo writer stopped: " + writer.failure() + "; stopping.");
                System.exit(1);
            }
        }
    }
}
