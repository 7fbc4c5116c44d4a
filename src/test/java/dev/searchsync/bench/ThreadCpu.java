package dev.searchsync.bench;

import com.sun.management.OperatingSystemMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU time per group of threads over a run (task threads of each vertex, the source's fetchers, the OpenSearch
 * client's I/O threads): against the run's wall time it says how much of it each group spent running, which
 * sampling profilers and Flink's busy time (which counts blocking inside an operator as busy) do not.
 */
final class ThreadCpu {
    /** Thread-name prefixes, in the order they are printed; a thread goes to the first that matches. */
    private static final Map<String, String> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("Source: DynamoDB stream", "task threads: Source -> To actions (2)");
        GROUPS.put("Order and version", "task threads: Order and version -> OpenSearch writer (2)");
        GROUPS.put("Source Data Fetcher", "source fetcher threads (GetRecords, convert to ChangeRecord)");
        GROUPS.put("I/O dispatcher", "OpenSearch client I/O dispatchers (bulk responses)");
    }

    /** What the command line of the test bed's OpenSearch server holds. */
    static final String OPENSEARCH_COMMAND = "org.opensearch.bootstrap.OpenSearch";
    private static final String OTHER = "other threads of this JVM (JobManager, REST, benchmark driver)";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean OS = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);

    /** The JVM's own threads, which ThreadMXBean does not list, by the start of their name in /proc. */
    private static final Map<String, String> NATIVE_GROUPS = new LinkedHashMap<>();

    static {
        NATIVE_GROUPS.put("GC Thread", "JVM garbage collector (GC Thread, G1 Conc, G1 Refine, G1 Main)");
        NATIVE_GROUPS.put("G1 ", "JVM garbage collector (GC Thread, G1 Conc, G1 Refine, G1 Main)");
        NATIVE_GROUPS.put("C2 Compiler", "JVM JIT compilers (C1, C2)");
        NATIVE_GROUPS.put("C1 Compiler", "JVM JIT compilers (C1, C2)");
    }

    private final Map<Long, Long> startByThread = new HashMap<>();
    private final Map<String, Long> nativeStart = nativeNanos();
    private Map<String, Long> marked;
    private final long processStart = OS.getProcessCpuTime();
    private final long wallStart = System.nanoTime();
    private final long openSearchStart = openSearchCpuNanos();

    ThreadCpu() {
        for (long id : THREADS.getAllThreadIds()) {
            startByThread.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
        }
    }

    /**
     * CPU time of the test bed's OpenSearch, a child of this JVM (its launcher execs it), or -1 when the OS does not
     * tell: the other side of every bulk the job waits for.
     */
    private static long openSearchCpuNanos() {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains(OPENSEARCH_COMMAND))
                .findFirst().flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toNanos()).orElse(-1L);
    }

    /**
     * CPU ms so far of the child process of this JVM whose command line contains {@code part} (the test bed's moto,
     * say), or -1 when there is none or the OS does not tell.
     */
    static long childCpuMillis(String part) {
        return ProcessHandle.current().children()
                .filter(p -> p.info().commandLine().orElse("").contains(part))
                .findFirst().flatMap(p -> p.info().totalCpuDuration()).map(d -> d.toMillis()).orElse(-1L);
    }

    /**
     * CPU nanoseconds so far of the JVM's garbage collector and compiler threads, from /proc/self/task (Linux; empty
     * elsewhere): on two cores they compete with the job for the same CPU.
     */
    private static Map<String, Long> nativeNanos() {
        Map<String, Long> nanos = new LinkedHashMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return nanos;
        }
        try (DirectoryStream<Path> threads = Files.newDirectoryStream(tasks)) {
            for (Path thread : threads) {
                try {
                    String name = Files.readString(thread.resolve("comm")).trim();
                    String group = groupOf(NATIVE_GROUPS, name, null);
                    if (group != null) {
                        // Fields 14 and 15 of stat, after the name in parentheses: user and system time in ticks
                        // of 10 ms (USER_HZ, 100 on Linux).
                        String stat = Files.readString(thread.resolve("stat"));
                        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                        nanos.merge(group, ticks * 10_000_000L, Long::sum);
                    }
                } catch (IOException | RuntimeException e) {
                    // The thread ended while it was read: its time is gone with it.
                }
            }
        } catch (IOException e) {
            return nanos;
        }
        return nanos;
    }

    /** Takes {@link #millis()} now, for {@link #marked()}. */
    void mark() {
        marked = millis();
    }

    /** {@link #millis()} as the last {@link #mark()} took it, or now when nothing was marked. */
    Map<String, Long> marked() {
        return marked != null ? marked : millis();
    }

    /** CPU ms per group since construction, plus the whole JVM and the wall time; call before the job's threads end. */
    Map<String, Long> millis() {
        Map<String, Long> nanos = new LinkedHashMap<>();
        GROUPS.values().forEach(group -> nanos.put(group, 0L));
        nanos.put(OTHER, 0L);
        Map<String, Long> others = new HashMap<>();
        for (ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (thread == null) {
                continue;
            }
            long used = Math.max(0, THREADS.getThreadCpuTime(thread.getThreadId()))
                    - startByThread.getOrDefault(thread.getThreadId(), 0L);
            String group = groupOf(GROUPS, thread.getThreadName(), OTHER);
            nanos.merge(group, used, Long::sum);
            if (group.equals(OTHER)) {
                // Digits dropped so a pool's threads add up under one name.
                others.merge(thread.getThreadName().replaceAll("\\d+", "#"), used, Long::sum);
            }
        }
        Map<String, Long> nativeNow = nativeNanos();
        nativeNow.forEach((group, n) -> nanos.put(group, n - nativeStart.getOrDefault(group, 0L)));
        nanos.put("whole test JVM (process CPU, GC and JIT included)", OS.getProcessCpuTime() - processStart);
        long openSearch = openSearchCpuNanos();
        if (openSearch >= 0 && openSearchStart >= 0) {
            nanos.put("the OpenSearch server (a child process, not in the JVM's figures)",
                    openSearch - openSearchStart);
        }
        nanos.put("wall", System.nanoTime() - wallStart);
        Map<String, Long> millis = new LinkedHashMap<>();
        nanos.forEach((group, n) -> {
            millis.put(group, n / 1_000_000);
            if (group.equals(OTHER)) {
                others.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(4)
                        .forEach(e -> millis.put("  of which " + abbreviate(e.getKey()), e.getValue() / 1_000_000));
            }
        });
        return millis;
    }

    /** The group of the first prefix {@code name} starts with, or {@code otherwise}. */
    private static String groupOf(Map<String, String> groups, String name, String otherwise) {
        return groups.entrySet().stream().filter(e -> name.startsWith(e.getKey())).map(Map.Entry::getValue)
                .findFirst().orElse(otherwise);
    }

    private static String abbreviate(String name) {
        return name.length() <= 66 ? name : name.substring(0, 63) + "...";
    }
}
