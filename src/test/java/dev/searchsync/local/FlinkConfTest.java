package dev.searchsync.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MetricOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.configuration.WebOptions;
import org.apache.flink.streaming.api.CheckpointingMode;
import org.apache.flink.streaming.api.environment.ExecutionCheckpointingOptions;
import org.junit.jupiter.api.Test;

/** flink-conf/flink-conf.yaml holds only options Flink 1.19 knows, each with a value it parses. */
class FlinkConfTest {
    /** Where the options the file may use are declared; a new kind of setting adds its class here. */
    private static final List<Class<?>> OPTION_CLASSES = List.of(CoreOptions.class, TaskManagerOptions.class,
            JobManagerOptions.class, RestOptions.class, WebOptions.class, MetricOptions.class,
            ExecutionCheckpointingOptions.class, CheckpointingOptions.class, StateBackendOptions.class,
            RestartStrategyOptions.class, PipelineOptions.class);

    private final Configuration conf = LocalJob.loadFlinkConf(Path.of(LocalJob.DEFAULT_FLINK_CONF_DIR));

    @Test
    void everyKeyIsAFlinkOptionWhoseValueParses() {
        Map<String, ConfigOption<?>> known = knownOptions();
        assertThat(conf.keySet()).isNotEmpty();
        for (String key : conf.keySet()) {
            assertThat(known).as("option '%s' is not a Flink 1.19 option (or its class is not listed)", key)
                    .containsKey(key);
            // Reading it typed throws when the text does not parse as the option's type.
            assertThat(conf.getOptional(known.get(key))).as(key).isPresent();
        }
    }

    @Test
    void localClusterSettings() {
        assertThat(conf.get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(2);
        assertThat(conf.get(CoreOptions.DEFAULT_PARALLELISM)).isEqualTo(2);
        assertThat(conf.get(RestOptions.BIND_ADDRESS)).isEqualTo("127.0.0.1");
        assertThat(conf.get(RestOptions.PORT)).isEqualTo(8081);
        assertThat(conf.get(ExecutionCheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(conf.get(ExecutionCheckpointingOptions.CHECKPOINTING_MODE)).isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
    }

    @Test
    void aMissingFolderMeansFlinkDefaults() {
        assertThat(LocalJob.loadFlinkConf(Path.of("no-such-folder")).keySet()).isEmpty();
    }

    private static Map<String, ConfigOption<?>> knownOptions() {
        Map<String, ConfigOption<?>> options = new HashMap<>();
        for (Class<?> type : OPTION_CLASSES) {
            for (Field field : type.getFields()) {
                if (Modifier.isStatic(field.getModifiers()) && ConfigOption.class.isAssignableFrom(field.getType())) {
                    try {
                        ConfigOption<?> option = (ConfigOption<?>) field.get(null);
                        options.put(option.key(), option);
                        for (FallbackKey fallback : option.fallbackKeys()) {
                            options.putIfAbsent(fallback.getKey(), option);
                        }
                    } catch (IllegalAccessException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return options;
    }
}
