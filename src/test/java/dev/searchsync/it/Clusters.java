package dev.searchsync.it;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The Flink cluster every integration test runs on: one TaskManager with two slots, for parallelism 2. */
public final class Clusters {
    private Clusters() {}

    public static MiniClusterExtension twoSlots() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(2)
                .build());
    }
}
