package dev.searchsync.opensearch;

import dev.searchsync.config.ConfigReader;
import dev.searchsync.config.OpenSearchConfig;
import dev.searchsync.config.OpenSearchOptions;
import dev.searchsync.config.PropertyGroups;

import java.util.HashMap;
import java.util.Map;

/** Builds an {@link OpenSearchConfig} from property text, exactly as the job reads it. */
public final class TestConfigs {
    private TestConfigs() {}

    /** Reads group {@code opensearch} from {@code keysAndValues} (key, value, key, value...); throws when invalid. */
    static OpenSearchConfig opensearch(String... keysAndValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        ConfigReader reader = new ConfigReader(PropertyGroups.of(Map.of(OpenSearchOptions.GROUP, values)));
        reader.rejectUnknown(OpenSearchOptions.ALL);
        OpenSearchConfig config = OpenSearchConfig.read(reader);
        reader.throwIfInvalid();
        return config;
    }

    /** Small bulks flushed quickly: the tests' jobs hold a handful of documents. */
    public static OpenSearchConfig plain(String endpoint) {
        return opensearch("endpoint", endpoint, "bulk.flush.interval.ms", "200");
    }
}
