package dev.searchsync.local;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The part of the demo that depends on the job's input (a DynamoDB table's stream, a Kinesis data stream, or
 * CloudWatch Logs through one): the AWS
 * emulator and what it holds, the writer feeding it, and the configuration the job reads it with.
 */
interface DemoInput extends AutoCloseable {

    /** The emulator's name, for the start message: "moto", "kinesis-local". */
    String emulatorName();

    /** Starts the emulator and creates the table or stream the writer writes to. */
    void start();

    /** Adds the groups that depend on the input ({@code source}, {@code index}, {@code events}). */
    void addGroups(Map<String, Map<String, String>> groups);

    /** The index name or pattern whose documents the progress line counts. */
    String documents();

    /** How the progress line names {@link #documents()}. */
    String documentsLabel();

    /** Creates the writer (not started yet). */
    PacedWriter writer(LocalDemo.Options options);

    /** What has been written, for the progress line; {@code previous} is what the last line reported. */
    String progress(PacedWriter writer, long previous);

    /** The operator and metric the progress line shows as lag, and what it means. */
    String lagOperator();

    String lagMetric();

    String lagExplained();

    /** What goes before {@code ./job/run-local --properties} to run the job against these servers: none by default. */
    default String jobCommandPrefix() {
        return "";
    }

    /** The emulator's port, which {@link #close()} frees. */
    List<Integer> ports();

    boolean isRunning();

    /** The emulator's line among the endpoints. */
    void printEmulator(PrintStream out);

    /** What the writer writes, printed after the endpoints. */
    void printWriting(PrintStream out, LocalDemo.Options options);

    @Override
    void close();
}
