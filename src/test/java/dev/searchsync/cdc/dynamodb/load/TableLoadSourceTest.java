package dev.searchsync.cdc.dynamodb.load;

import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.it.Clusters;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The load as Flink runs it, on an in-JVM table: two subtasks, more segments than subtasks, every item once. */
class TableLoadSourceTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK = Clusters.twoSlots();

    @Test
    void twoSubtasksReadEverySegmentAndEveryItemOnce() throws Exception {
        FakeTable.create("source-test", 2_000);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        env.getConfig().disableGenericTypes();

        List<ChangeRecord> loaded = env.fromSource(new TableLoadSource("source-test",
                        FakeTable.factory("source-test"), 1_000_000, 7, Duration.ofSeconds(60)),
                WatermarkStrategy.noWatermarks(), "load").executeAndCollect(3_000);

        Map<String, Integer> times = new HashMap<>();
        loaded.forEach(change -> times.merge(change.getKeys(), 1, Integer::sum));
        assertThat(times).hasSize(2_000);
        assertThat(times.values()).containsOnly(1);
        assertThat(loaded).extracting(ChangeRecord::getLoadVersion).containsOnly(loaded.get(0).getLoadVersion());
    }
}
