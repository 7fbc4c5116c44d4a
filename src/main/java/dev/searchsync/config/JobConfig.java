package dev.searchsync.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Everything a deployment of searchsync is configured with, validated as a whole before the job is built. */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Every option of every group; docs/configuration.md must describe each (a test checks it). */
    public static final List<Option<?>> ALL_OPTIONS;

    static {
        List<Option<?>> all = new ArrayList<>(SourceOptions.ALL);
        ALL_OPTIONS = Collections.unmodifiableList(all);
    }

    private final SourceConfig source;

    private JobConfig(SourceConfig source) {
        this.source = source;
    }

    /**
     * Validates {@code groups}.
     *
     * @throws InvalidConfigurationException naming every bad group, key and value, and what was expected
     */
    public static JobConfig from(PropertyGroups groups) {
        ConfigReader reader = new ConfigReader(groups);
        reader.rejectUnknown(ALL_OPTIONS);
        SourceConfig source = SourceConfig.read(reader);
        reader.throwIfInvalid();
        return new JobConfig(source);
    }

    public SourceConfig source() {
        return source;
    }

    @Override
    public String toString() {
        return "JobConfig{" + source + '}';
    }
}
