package dev.searchsync.local;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo writers' common loop: one daemon thread writing at a steady rate, retrying transient errors and stopping
 * visibly on persistent ones, so each writer only says what one write is.
 */
public abstract class PacedWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PacedWriter.class);
    private static final int MAX_ERRORS_IN_A_ROW = 20;

    private final double unitsPerSecond;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** @param unitsPerSecond the rate in what {@link #writeOne()} counts (changes, events) */
    protected PacedWriter(String threadName, double unitsPerSecond) {
        this.unitsPerSecond = unitsPerSecond;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
    }

    /** Writes once; returns how many units (changes, events) that was, which sets the pause before the next. */
    protected abstract int writeOne();

    /** Changes or events written so far, for the progress line. */
    public abstract long written();

    public void start() {
        thread.start();
    }

    /** The error that stopped the writer, or null while it runs (or after a clean stop). */
    public Throwable failure() {
        return failure.get();
    }

    /** Stops writing and waits for the thread, so nothing touches the table or stream afterwards. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / unitsPerSecond);
        long next = System.nanoTime();
        int consecutiveErrors = 0;
        while (running) {
            int units = 1;
            try {
                units = Math.max(1, writeOne());
                consecutiveErrors = 0;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                // A transient error (the server busy) is retried; a persistent one stops the writer visibly.
                if (++consecutiveErrors >= MAX_ERRORS_IN_A_ROW) {
                    failure.set(e);
                    LOG.error("The demo writer stopped after {} failed writes in a row", consecutiveErrors, e);
                    return;
                }
                LOG.warn("Demo write failed, retrying: {}", e.toString());
            }
            // A fixed schedule, not a fixed pause: the rate stays steady however long each call takes.
            next += intervalNanos * units;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            } else if (wait < -TimeUnit.SECONDS.toNanos(1)) {
                next = System.nanoTime(); // Fell behind (slow server): do not burst to catch up.
            }
        }
    }
}
