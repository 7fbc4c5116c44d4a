package dev.searchsync.opensearch;

import dev.searchsync.metrics.ExportedMetrics;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.Origin;

import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;

/**
 * How long a change took from its source to OpenSearch's answer to the bulk that carried it: the figure an operator
 * compares with "searchable within a second". A histogram for Flink's UI and reporters, and its median and 99th
 * percentile as gauges for CloudWatch, which takes no histogram. The start is the change's time as its source gives
 * it: DynamoDB Streams' creation time has whole seconds (so a change can look up to a second older than it is),
 * Kinesis' arrival time milliseconds. Redriven changes and an initial load's snapshots are left out: their times
 * say when the data was first written, not how long the job took.
 */
final class ChangeLatency {
    static final String HISTOGRAM = "changeToIndexedMillis";
    /** Changes the histogram's percentiles are computed over: the latest ones. */
    private static final int WINDOW = 10_000;

    private final Histogram histogram;

    ChangeLatency(MetricGroup writerMetrics) {
        histogram = writerMetrics.histogram(HISTOGRAM, new DescriptiveStatisticsHistogram(WINDOW));
        MetricGroup exported = ExportedMetrics.exported(writerMetrics);
        exported.gauge(ExportedMetrics.CHANGE_TO_INDEXED_P50, () -> (long) histogram.getStatistics().getQuantile(0.5));
        exported.gauge(ExportedMetrics.CHANGE_TO_INDEXED_P99, () -> (long) histogram.getStatistics().getQuantile(0.99));
    }

    /** The change's time as the latency counts it, or 0 when it does not count. */
    static long eventTimeOf(DocumentAction action) {
        Origin origin = action.getOrigin();
        return origin == null || origin.isSnapshot() || origin.getRedriveAttempt() > 0 ? 0 : origin.getEventTime();
    }

    /** Notes a change that happened at {@code eventTime} (0: unknown, not counted) as indexed at {@code nowMillis}. */
    void indexed(long eventTime, long nowMillis) {
        if (eventTime > 0) {
            histogram.update(Math.max(0, nowMillis - eventTime));
        }
    }
}
