package dev.searchsync.bench;

import com.sun.management.OperatingSystemMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
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

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final OperatingSystemMXBean OS = ManagementFactory.getPlatformMXBean(OperatingSystemMXBean.class);

    private final Map<Long, Long> startByThread = new HashMap<>();
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
                .filter(p -> p.info().commandLine().orElse("").contains("org.opensearch.bootstrap.OpenSearch"))
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

    /** CPU ms per group since construction, plus the whole JVM and the wall time; call before the job's threads end. */
    Map<String, Long> millis() {
        Map<String, Long> nanos = new LinkedHashMap<>();
        GROUPS.values().forEach(group -> nanos.put(group, 0L));
        nanos.put("other threads of this JVM (JobManager, REST, GC not included, benchmark driver)", 0L);
        for (ThreadInfo thread : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (thread == null) {
                continue;
            }
            long used = Math.max(0, THREADS.getThreadCpuTime(thread.getThreadId()))
                    - startByThread.getOrDefault(thread.getThreadId(), 0L);
            String group = GROUPS.entrySet().stream().filter(e -> thread.getThreadName().startsWith(e.getKey()))
                    .map(Map.Entry::getValue).findFirst()
                    .orElse("other threads of this JVM (JobManager, REST, GC not included, benchmark driver)");
            nanos.merge(group, used, Long::sum);
        }
        nanos.put("whole test JVM (process CPU, GC and JIT included)", OS.getProcessCpuTime() - processStart);
        long openSearch = openSearchCpuNanos();
        if (openSearch >= 0 && openSearchStart >= 0) {
            nanos.put("the OpenSearch server (a child process, not in the JVM's figures)", openSearch - openSearchStart);
        }
        nanos.put("wall", System.nanoTime() - wallStart);
        Map<String, Long> millis = new LinkedHashMap<>();
        nanos.forEach((group, n) -> millis.put(group, n / 1_000_000));
        return millis;
    }
}
