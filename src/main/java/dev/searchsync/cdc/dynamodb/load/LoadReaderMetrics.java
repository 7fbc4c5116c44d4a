package dev.searchsync.cdc.dynamodb.load;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Meter;
import org.apache.flink.metrics.MeterView;
import org.apache.flink.metrics.MetricGroup;

/** What each load subtask reports: items read, their rate, Scan calls and the read capacity they consumed. */
final class LoadReaderMetrics {
    private final Counter itemsRead;
    private final Meter itemsPerSecond;
    private final Counter scanCalls;
    private volatile double capacityUnits;

    LoadReaderMetrics(MetricGroup group) {
        itemsRead = group.counter("loadItemsRead");
        itemsPerSecond = group.meter("loadItemsPerSecond", new MeterView(itemsRead, 60));
        scanCalls = group.counter("loadScanCalls");
        group.gauge("loadReadCapacityUnits", () -> capacityUnits);
    }

    /** A page of {@code items} that cost {@code units} read capacity units. */
    void page(int items, double units) {
        itemsRead.inc(items);
        scanCalls.inc();
        capacityUnits += units;
    }

    Meter rate() {
        return itemsPerSecond;
    }
}
