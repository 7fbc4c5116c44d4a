package dev.searchsync.local;

import dev.searchsync.SearchSyncJob;
import dev.searchsync.config.JobConfig;
import dev.searchsync.config.PropertyGroups;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.runtime.client.JobCancellationException;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ExceptionUtils;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs searchsync on a local Flink cluster (a MiniCluster in this JVM) with the Flink dashboard, for
 * {@code ./job/run-local}. The job is the production pipeline ({@link SearchSyncJob#fromConfig}); only the cluster is
 * local. Not used on Managed Service for Apache Flink, which starts {@link SearchSyncJob#main}.
 *
 * <pre>
 * LocalJob --properties FILE [--flink-conf DIR] [--rest-port PORT]
 * </pre>
 */
public final class LocalJob {
    /** Folder of the local cluster's flink-conf.yaml, relative to the project root (where run-local runs). */
    public static final String DEFAULT_FLINK_CONF_DIR = "flink-conf";
    private static final long CANCEL_TIMEOUT_SECONDS = 30;

    private LocalJob() {}

    /**
     * The cluster settings in {@code dir}/flink-conf.yaml (or config.yaml); an empty configuration when the folder
     * does not exist, so Flink's defaults apply.
     */
    public static Configuration loadFlinkConf(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return new Configuration();
        }
        return GlobalConfiguration.loadConfiguration(dir.toAbsolutePath().toString());
    }

    /**
     * Validates {@code groups}, creates the index when it is missing (and checks it when it exists), then starts the
     * job on a new local cluster configured by {@code flinkConf}, with the dashboard on {@code rest.port}. The cluster
     * shuts down when the job ends (cancel it through the returned client).
     *
     * @throws dev.searchsync.config.InvalidConfigurationException listing every bad group, key and value
     * @throws IllegalStateException when the dashboard port is taken
     */
    public static JobClient start(PropertyGroups groups, Configuration flinkConf) throws Exception {
        JobConfig config = JobConfig.from(groups);
        Configuration conf = new Configuration(flinkConf);
        int restPort = conf.get(RestOptions.PORT);
        String bindAddress = conf.getOptional(RestOptions.BIND_ADDRESS).orElse("127.0.0.1");
        conf.set(RestOptions.BIND_ADDRESS, bindAddress);
        requirePortFree(bindAddress, restPort);
        // A MiniCluster does not configure Flink's file systems itself: s3.* settings (an endpoint for s3:// dead
        // letters, say) take effect only through this.
        FileSystem.initialize(conf, null);
        SearchSyncJob.prepareIndex(config);
        SearchSyncJob.prepareRedriveFolder(config);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironmentWithWebUI(conf);
        SearchSyncJob.fromConfig(config).addTo(env);
        return env.executeAsync(SearchSyncJob.jobName(config));
    }

    /** Cancels the job and waits until it has ended; quiet when it already ended or its cluster is gone. */
    public static void cancel(JobClient job) {
        try {
            JobStatus status = job.getJobStatus().get(CANCEL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!status.isGloballyTerminalState()) {
                job.cancel().get(CANCEL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
            job.getJobExecutionResult().get(CANCEL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // Ended with the cancellation (or a failure before it), or the MiniCluster already shut down with the
            // job ("MiniCluster is not yet running or has already been shut down"): nothing is left to stop.
        }
    }

    public static void main(String[] args) throws Exception {
        Path properties = null;
        Path flinkConfDir = Path.of(DEFAULT_FLINK_CONF_DIR);
        Integer restPort = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--properties":
                    properties = Path.of(value(args, i++));
                    break;
                case "--flink-conf":
                    flinkConfDir = Path.of(value(args, i++));
                    break;
                case "--rest-port":
                    restPort = Integer.valueOf(value(args, i++));
                    break;
                case "-h":
                case "--help":
                    usage(System.out);
                    return;
                default:
                    System.err.println("Unknown argument: " + args[i]);
                    usage(System.err);
                    System.exit(2);
            }
        }
        if (properties == null) {
            System.err.println("--properties FILE is required");
            usage(System.err);
            System.exit(2);
        }
        System.exit(run(properties, flinkConfDir, restPort));
    }

    /** Runs until the job ends or the JVM is stopped (Ctrl-C cancels the job); returns the exit code. */
    static int run(Path properties, Path flinkConfDir, Integer restPort) throws Exception {
        Configuration conf = loadFlinkConf(flinkConfDir);
        if (restPort != null) {
            conf.set(RestOptions.PORT, restPort);
        }
        JobClient job;
        try {
            job = start(PropertyGroups.fromJsonFile(properties), conf);
        } catch (RuntimeException e) {
            // Configuration, index bootstrap and port problems explain themselves; no stack trace needed.
            System.err.println("searchsync did not start: " + e.getMessage());
            return 1;
        }
        String dashboard = "http://" + conf.getOptional(RestOptions.BIND_ADDRESS).orElse("127.0.0.1") + ":"
                + conf.get(RestOptions.PORT);
        System.out.println("searchsync is running as job " + job.getJobID() + " with properties " + properties);
        System.out.println("  Flink dashboard  " + dashboard);
        System.out.println("Ctrl-C cancels the job and stops the local cluster.");
        AtomicBoolean stopping = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            stopping.set(true);
            System.out.println("Stopping: cancelling job " + job.getJobID() + " ...");
            cancel(job);
            System.out.println("Stopped.");
        }, "local-job-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            job.getJobExecutionResult().get();
            System.out.println("The job finished.");
            return 0;
        } catch (ExecutionException e) {
            if (stopping.get()) {
                return 130; // Ctrl-C: the hook cancelled the job.
            }
            if (ExceptionUtils.findThrowable(e, JobCancellationException.class).isPresent()) {
                System.out.println("The job was cancelled (from the dashboard or the REST API).");
                return 0;
            }
            System.err.println("The job ended with an error: " + rootMessage(e));
            e.printStackTrace();
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // Shutting down already: the hook runs.
            }
        }
    }

    static void requirePortFree(String address, int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(address))) {
            socket.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("The Flink dashboard port " + address + ":" + port + " is in use ("
                    + e.getMessage() + "). Is another run-local running? Stop it, or choose another port with"
                    + " rest.port in flink-conf/flink-conf.yaml.", e);
        }
    }

    private static String value(String[] args, int i) {
        if (i + 1 >= args.length) {
            throw new IllegalArgumentException(args[i] + " needs a value");
        }
        return args[i + 1];
    }

    private static String rootMessage(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    private static void usage(PrintStream out) {
        out.println("Usage: LocalJob --properties FILE [--flink-conf DIR] [--rest-port PORT]");
        out.println("  --properties FILE  property groups (JSON) naming the stream, the index and OpenSearch;"
                + " see docs/configuration.md");
        out.println("  --flink-conf DIR   folder with flink-conf.yaml for the local cluster (default: "
                + DEFAULT_FLINK_CONF_DIR + ")");
        out.println("  --rest-port PORT   Flink dashboard port (default: rest.port of that file, else 8081)");
    }
}
