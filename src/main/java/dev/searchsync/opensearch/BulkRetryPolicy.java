package dev.searchsync.opensearch;

import java.io.Serializable;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How long a bulk request keeps being retried while OpenSearch cannot take it (429, 5xx, a lost connection), before
 * the job is failed and restarted from its last checkpoint: a bounded exponential back-off with jitter.
 */
public final class BulkRetryPolicy implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int maxRetries;
    private final long initialDelayMs;
    private final long maxDelayMs;

    public BulkRetryPolicy(int maxRetries, long initialDelayMs, long maxDelayMs) {
        if (maxRetries < 0 || initialDelayMs <= 0 || maxDelayMs < initialDelayMs) {
            throw new IllegalArgumentException("retries " + maxRetries + ", initial delay " + initialDelayMs
                    + " ms, max delay " + maxDelayMs + " ms");
        }
        this.maxRetries = maxRetries;
        this.initialDelayMs = initialDelayMs;
        this.maxDelayMs = maxDelayMs;
    }

    /** Retries after the first attempt; 0 sends each bulk once. */
    public int maxRetries() {
        return maxRetries;
    }

    /** The pause before retry {@code retry} (1-based): initial × 2^(retry-1), at most the maximum, less up to 20%. */
    long delayMillis(int retry) {
        long delay = nominalDelayMillis(retry);
        // Jitter below the nominal pause keeps the subtasks of a job from retrying in lockstep.
        return delay - ThreadLocalRandom.current().nextLong(delay / 5 + 1);
    }

    /** The longest time all retries of one bulk can wait, without jitter: what an outage must outlast to fail it. */
    public long budgetMillis() {
        long total = 0;
        for (int retry = 1; retry <= maxRetries; retry++) {
            total += nominalDelayMillis(retry);
        }
        return total;
    }

    private long nominalDelayMillis(int retry) {
        long delay = initialDelayMs << Math.min(retry - 1, 30);
        return delay <= 0 ? maxDelayMs : Math.min(maxDelayMs, delay);
    }

    @Override
    public String toString() {
        return "BulkRetryPolicy{retries=" + maxRetries + ", initial=" + initialDelayMs + " ms, max=" + maxDelayMs
                + " ms}";
    }
}
