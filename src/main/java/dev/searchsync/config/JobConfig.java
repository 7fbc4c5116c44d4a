package dev.searchsync.config;

import dev.searchsync.source.dynamodb.StreamArn;

import java.io.Serializable;
import java.time.Duration;
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
        all.addAll(IndexOptions.ALL);
        all.addAll(OpenSearchOptions.ALL);
        all.addAll(SyncOptions.ALL);
        all.addAll(DeadLetterOptions.ALL);
        ALL_OPTIONS = Collections.unmodifiableList(all);
    }

    private final SourceConfig source;
    private final IndexConfig index;
    private final OpenSearchConfig opensearch;
    private final Duration stateTtl;
    private final String tableName;
    private final DeadLetterConfig deadLetters;

    private JobConfig(SourceConfig source, IndexConfig index, OpenSearchConfig opensearch, Duration stateTtl,
            String tableName, DeadLetterConfig deadLetters) {
        this.source = source;
        this.index = index;
        this.opensearch = opensearch;
        this.stateTtl = stateTtl;
        this.tableName = tableName;
        this.deadLetters = deadLetters;
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
        String tableName = source.stream().tableName() != null
                ? source.stream().tableName()
                : StreamArn.parse(source.stream().streamArn()).map(StreamArn::tableName).orElse(null);
        IndexConfig index = IndexConfig.read(reader, tableName);
        OpenSearchConfig opensearch = OpenSearchConfig.read(reader);
        Duration stateTtl = Duration.ofHours(reader.value(SyncOptions.STATE_TTL_HOURS));
        DeadLetterConfig deadLetters = DeadLetterConfig.read(reader);
        reader.throwIfInvalid();
        return new JobConfig(source, index, opensearch, stateTtl, tableName, deadLetters);
    }

    public SourceConfig source() {
        return source;
    }

    public IndexConfig index() {
        return index;
    }

    public OpenSearchConfig opensearch() {
        return opensearch;
    }

    /** How long per-document order state outlives a document's last change. */
    public Duration stateTtl() {
        return stateTtl;
    }

    /** Where changes that cannot be indexed are kept. */
    public DeadLetterConfig deadLetters() {
        return deadLetters;
    }

    /** The source table's name. */
    public String tableName() {
        return tableName;
    }

    /** The OpenSearch index the table is synced into. */
    public String indexName() {
        return index.indexName(tableName);
    }

    @Override
    public String toString() {
        return "JobConfig{" + source + ", " + index + ", " + opensearch + ", stateTtl=" + stateTtl + ", "
                + deadLetters + '}';
    }
}
