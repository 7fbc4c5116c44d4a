package dev.searchsync.config;


import java.io.Serializable;
import java.util.Objects;

/** How the shard source discovers and polls shards; independent of which stream service sits behind it. */
public final class ShardSourceSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final StartPosition startPosition;
    private final long shardDiscoveryIntervalMillis;
    private final long pollIntervalMillis;
    private final long idlePollMaxIntervalMillis;
    private final int maxRecordsPerPoll;
    private final TrimmedDataPolicy trimmedDataPolicy;
    private final long throttleBackoffBaseMillis;
    private final long throttleBackoffMaxMillis;
    private final StreamChangePolicy streamChangePolicy;
    private final long startTimestampMillis;

    public ShardSourceSettings(
            StartPosition startPosition,
            long shardDiscoveryIntervalMillis,
            long pollIntervalMillis,
            long idlePollMaxIntervalMillis,
            int maxRecordsPerPoll,
            TrimmedDataPolicy trimmedDataPolicy,
            long throttleBackoffBaseMillis,
            long throttleBackoffMaxMillis,
            StreamChangePolicy streamChangePolicy) {
        this(startPosition, 0, shardDiscoveryIntervalMillis, pollIntervalMillis, idlePollMaxIntervalMillis,
                maxRecordsPerPoll, trimmedDataPolicy, throttleBackoffBaseMillis, throttleBackoffMaxMillis,
                streamChangePolicy);
    }

    private ShardSourceSettings(
            StartPosition startPosition,
            long startTimestampMillis,
            long shardDiscoveryIntervalMillis,
            long pollIntervalMillis,
            long idlePollMaxIntervalMillis,
            int maxRecordsPerPoll,
            TrimmedDataPolicy trimmedDataPolicy,
            long throttleBackoffBaseMillis,
            long throttleBackoffMaxMillis,
            StreamChangePolicy streamChangePolicy) {
        this.startTimestampMillis = startTimestampMillis;
        this.startPosition = Objects.requireNonNull(startPosition);
        this.shardDiscoveryIntervalMillis = shardDiscoveryIntervalMillis;
        this.pollIntervalMillis = pollIntervalMillis;
        this.idlePollMaxIntervalMillis = Math.max(pollIntervalMillis, idlePollMaxIntervalMillis);
        this.maxRecordsPerPoll = maxRecordsPerPoll;
        this.trimmedDataPolicy = Objects.requireNonNull(trimmedDataPolicy);
        this.throttleBackoffBaseMillis = throttleBackoffBaseMillis;
        this.throttleBackoffMaxMillis = Math.max(throttleBackoffBaseMillis, throttleBackoffMaxMillis);
        this.streamChangePolicy = Objects.requireNonNull(streamChangePolicy);
    }

    /** Settings for tests: everything fast, start at TRIM_HORIZON, fail on trimmed data and on a replaced stream. */
    public static ShardSourceSettings defaults() {
        return new ShardSourceSettings(StartPosition.TRIM_HORIZON, 10_000, 250, 2_000, 1_000,
                TrimmedDataPolicy.FAIL, 200, 10_000, StreamChangePolicy.FAIL);
    }

    public StartPosition startPosition() {
        return startPosition;
    }

    /** With {@link StartPosition#AT_TIMESTAMP}: where the first run starts, epoch milliseconds; otherwise 0. */
    public long startTimestampMillis() {
        return startTimestampMillis;
    }

    public long shardDiscoveryIntervalMillis() {
        return shardDiscoveryIntervalMillis;
    }

    public long pollIntervalMillis() {
        return pollIntervalMillis;
    }

    public long idlePollMaxIntervalMillis() {
        return idlePollMaxIntervalMillis;
    }

    public int maxRecordsPerPoll() {
        return maxRecordsPerPoll;
    }

    public TrimmedDataPolicy trimmedDataPolicy() {
        return trimmedDataPolicy;
    }

    public long throttleBackoffBaseMillis() {
        return throttleBackoffBaseMillis;
    }

    public long throttleBackoffMaxMillis() {
        return throttleBackoffMaxMillis;
    }

    public StreamChangePolicy streamChangePolicy() {
        return streamChangePolicy;
    }

    /** The same settings starting the first run at {@code epochMillis} ({@link StartPosition#AT_TIMESTAMP}). */
    public ShardSourceSettings withStartTimestamp(long epochMillis) {
        return new ShardSourceSettings(StartPosition.AT_TIMESTAMP, epochMillis, shardDiscoveryIntervalMillis,
                pollIntervalMillis, idlePollMaxIntervalMillis, maxRecordsPerPoll, trimmedDataPolicy,
                throttleBackoffBaseMillis, throttleBackoffMaxMillis, streamChangePolicy);
    }

    public ShardSourceSettings withStartPosition(StartPosition position) {
        return new ShardSourceSettings(position, startTimestampMillis, shardDiscoveryIntervalMillis, pollIntervalMillis,
                idlePollMaxIntervalMillis, maxRecordsPerPoll, trimmedDataPolicy, throttleBackoffBaseMillis,
                throttleBackoffMaxMillis, streamChangePolicy);
    }

    public ShardSourceSettings withTrimmedDataPolicy(TrimmedDataPolicy policy) {
        return new ShardSourceSettings(startPosition, startTimestampMillis, shardDiscoveryIntervalMillis, pollIntervalMillis,
                idlePollMaxIntervalMillis, maxRecordsPerPoll, policy, throttleBackoffBaseMillis,
                throttleBackoffMaxMillis, streamChangePolicy);
    }

    public ShardSourceSettings withStreamChangePolicy(StreamChangePolicy policy) {
        return new ShardSourceSettings(startPosition, startTimestampMillis, shardDiscoveryIntervalMillis, pollIntervalMillis,
                idlePollMaxIntervalMillis, maxRecordsPerPoll, trimmedDataPolicy, throttleBackoffBaseMillis,
                throttleBackoffMaxMillis, policy);
    }

    public ShardSourceSettings withDiscoveryInterval(long millis) {
        return new ShardSourceSettings(startPosition, startTimestampMillis, millis, pollIntervalMillis, idlePollMaxIntervalMillis,
                maxRecordsPerPoll, trimmedDataPolicy, throttleBackoffBaseMillis, throttleBackoffMaxMillis,
                streamChangePolicy);
    }

    public ShardSourceSettings withPolling(long intervalMillis, long idleMaxMillis, int maxRecords) {
        return new ShardSourceSettings(startPosition, startTimestampMillis, shardDiscoveryIntervalMillis, intervalMillis, idleMaxMillis,
                maxRecords, trimmedDataPolicy, throttleBackoffBaseMillis, throttleBackoffMaxMillis,
                streamChangePolicy);
    }

    @Override
    public String toString() {
        return "ShardSourceSettings{startPosition=" + startPosition
                + (startPosition == StartPosition.AT_TIMESTAMP ? "(" + startTimestampMillis + ")" : "")
                + ", shardDiscoveryIntervalMillis=" + shardDiscoveryIntervalMillis
                + ", pollIntervalMillis=" + pollIntervalMillis
                + ", idlePollMaxIntervalMillis=" + idlePollMaxIntervalMillis
                + ", maxRecordsPerPoll=" + maxRecordsPerPoll
                + ", trimmedDataPolicy=" + trimmedDataPolicy
                + ", throttleBackoffBaseMillis=" + throttleBackoffBaseMillis
                + ", throttleBackoffMaxMillis=" + throttleBackoffMaxMillis
                + ", streamChangePolicy=" + streamChangePolicy + '}';
    }
}
