package dev.searchsync.metrics;

import org.apache.flink.metrics.MetricGroup;

/**
 * The metrics Managed Service for Apache Flink sends to CloudWatch: only those registered under the
 * {@value #GROUP} group leave the cluster, and the Terraform module's alarms read them by these names.
 */
public final class ExportedMetrics {
    /** The group MSF exports to CloudWatch (namespace {@code AWS/KinesisAnalytics}); the service's former name. */
    public static final String GROUP = "kinesisanalytics";

    /** Gauge on the source: how far the most lagging shard of a reader is behind the newest record, in ms. */
    public static final String MILLIS_BEHIND_LATEST = "millisBehindLatest";

    /** Meter wherever dead letters are written: letters per second over the last minute. */
    public static final String DEAD_LETTERS_PER_SECOND = "deadLettersPerSecond";

    /**
     * Gauges on the OpenSearch sink: the median and 99th percentile, in ms, of the time from a change at its source
     * to OpenSearch's answer to its bulk, over the latest 10,000 changes.
     */
    public static final String CHANGE_TO_INDEXED_P50 = "changeToIndexedMillisP50";
    public static final String CHANGE_TO_INDEXED_P99 = "changeToIndexedMillisP99";

    private ExportedMetrics() {}

    /** The group under {@code operatorGroup} whose metrics reach CloudWatch on MSF. */
    public static MetricGroup exported(MetricGroup operatorGroup) {
        return operatorGroup.addGroup(GROUP);
    }
}
