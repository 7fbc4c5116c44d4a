package dev.searchsync.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/** The peak of used heap while a run lasts: the JVM keeps no running maximum of its own that survives collections. */
final class HeapSampler implements AutoCloseable {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak;

    HeapSampler() {
        thread = new Thread(() -> {
            while (running) {
                peak = Math.max(peak, MEMORY.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-heap-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    long peakBytes() {
        return peak;
    }

    /** Used heap once the garbage is collected: what the run still holds. */
    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    static long maxBytes() {
        return MEMORY.getHeapMemoryUsage().getMax();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }
}
