package dev.searchsync.config;


import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The validated settings of group {@value IndexOptions#GROUP}: where documents go and what they hold. */
public final class IndexConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final List<String> include;
    private final List<String> exclude;
    private final String partitionKey;
    private final String sortKey;
    private final String mapping;
    private final List<String> templatePatterns;
    private final String templateName;
    private final String alias;
    private final int maxDocumentBytes;
    private final int maxFields;

    private IndexConfig(String name, List<String> include, List<String> exclude, String partitionKey,
            String sortKey, String mapping, List<String> templatePatterns, String templateName, String alias,
            int maxDocumentBytes, int maxFields) {
        this.name = name;
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.partitionKey = partitionKey;
        this.sortKey = sortKey;
        this.mapping = mapping;
        this.templatePatterns = List.copyOf(templatePatterns);
        this.templateName = templateName;
        this.alias = alias;
        this.maxDocumentBytes = maxDocumentBytes;
        this.maxFields = maxFields;
    }

    /** The largest document, in UTF-8 bytes, the job sends to OpenSearch. */
    public int maxDocumentBytes() {
        return maxDocumentBytes;
    }

    /** The most distinct field paths a document may have. */
    public int maxFields() {
        return maxFields;
    }

    /**
     * Reads and checks group {@value IndexOptions#GROUP}; problems go to {@code reader}.
     *
     * @param tableName the source table, whose lower-cased name is the default index name; null when it is only
     *     known later (see {@link #indexName(String)})
     */
    public static IndexConfig read(ConfigReader reader, String tableName) {
        return read(reader, tableName, null, null);
    }

    /**
     * As {@link #read(ConfigReader, String)}, with the input's own defaults for the index name and the mapping
     * (CloudWatch Logs: one index per day, shaped by the template in the jar); null keeps the general ones.
     */
    public static IndexConfig read(ConfigReader reader, String tableName, String defaultName, String defaultMapping) {
        String name = reader.get(IndexOptions.NAME).orElse(defaultName);
        if (!reader.isSet(IndexOptions.NAME) && defaultName == null && tableName != null) {
            name = defaultName(tableName);
            if (!IndexOptions.isValidIndexName(name)) {
                reader.problem(IndexOptions.NAME, "expected " + IndexOptions.INDEX_NAME_EXPECTED
                        + " (the default, table name '" + tableName + "' lower-cased, is not one)");
                name = null;
            }
        }

        List<String> include = orEmpty(reader.value(IndexOptions.INCLUDE));
        List<String> exclude = orEmpty(reader.value(IndexOptions.EXCLUDE));
        List<String> both = new ArrayList<>(include);
        both.retainAll(exclude);
        if (!both.isEmpty()) {
            reader.problem(IndexOptions.GROUP, "'attributes.include' and 'attributes.exclude' both name "
                    + String.join(", ", both) + ", expected each attribute in at most one of them");
        }

        String partitionKey = reader.value(IndexOptions.PARTITION_KEY);
        String sortKey = reader.value(IndexOptions.SORT_KEY);
        if (reader.isSet(IndexOptions.SORT_KEY) && !reader.isSet(IndexOptions.PARTITION_KEY)) {
            reader.problem(IndexOptions.GROUP, "'sort.key' is set without 'partition.key', expected both, only"
                    + " 'partition.key', or neither (to read the key schema from the table)");
        }
        List<String> templatePatterns = orEmpty(reader.value(IndexOptions.TEMPLATE_PATTERNS));
        Optional<IndexName> pattern = Optional.ofNullable(name).flatMap(IndexName::parse)
                .filter(IndexName::isPattern);
        if (pattern.isPresent() && templatePatterns.isEmpty()) {
            // Indices named by time or log group are created by the bulk writes themselves: only a template can
            // shape them.
            templatePatterns = List.of(pattern.get().wildcard());
        }
        if (reader.isSet(IndexOptions.TEMPLATE_NAME) && templatePatterns.isEmpty()) {
            reader.problem(IndexOptions.GROUP, "'template.name' is set without 'template.patterns', expected"
                    + " 'template.patterns' too (the index name patterns the template applies to), or neither");
        }
        String alias = reader.value(IndexOptions.ALIAS);
        if (alias != null && alias.equals(name)) {
            reader.problem(IndexOptions.ALIAS, "expected another name than the index's: an alias and an index"
                    + " cannot share a name");
        }
        return new IndexConfig(name, include, exclude, partitionKey, sortKey,
                reader.get(IndexOptions.MAPPING).orElse(defaultMapping),
                templatePatterns, reader.value(IndexOptions.TEMPLATE_NAME), alias,
                reader.value(IndexOptions.MAX_DOCUMENT_BYTES), reader.value(IndexOptions.MAX_FIELDS));
    }

    /** The configured index name, else the table name given to {@link #read} lower-cased; empty when neither. */
    public Optional<String> name() {
        return Optional.ofNullable(name);
    }

    /**
     * The index for {@code tableName}: the configured or defaulted name, else {@code tableName} lower-cased.
     *
     * @throws InvalidConfigurationException when the table name, lower-cased, is not a valid index name
     */
    public String indexName(String tableName) {
        if (name != null) {
            return name;
        }
        String derived = defaultName(tableName);
        if (!IndexOptions.isValidIndexName(derived)) {
            throw new InvalidConfigurationException(List.of("property group '" + IndexOptions.GROUP + "', key '"
                    + IndexOptions.NAME.key() + "': got nothing, expected " + IndexOptions.INDEX_NAME_EXPECTED
                    + " (the default, table name '" + tableName + "' lower-cased, is not one)"));
        }
        return derived;
    }

    /** Top-level attributes to keep; empty keeps all. */
    public List<String> include() {
        return include;
    }

    /** Top-level attributes to drop. */
    public List<String> exclude() {
        return exclude;
    }

    /** The configured partition key attribute; empty when the key schema is to be read from the table. */
    public Optional<String> partitionKey() {
        return Optional.ofNullable(partitionKey);
    }

    /** The configured sort key attribute; empty for a table without one, or when read from the table. */
    public Optional<String> sortKey() {
        return Optional.ofNullable(sortKey);
    }

    /** A JSON file path or a resource name under {@code index-templates/}; empty when none is configured. */
    public Optional<String> mapping() {
        return Optional.ofNullable(mapping);
    }

    /** Index name patterns of the index template to write; empty when there is no template. */
    public List<String> templatePatterns() {
        return templatePatterns;
    }

    /**
     * The index template's name: the configured one, else {@code searchsync-} and {@code indexName} (without its
     * date pattern when it has one: {@code searchsync-events} for {@code events-{yyyy.MM.dd}}).
     */
    public String templateName(String indexName) {
        return templateName != null ? templateName
                : IndexOptions.TEMPLATE_NAME_PREFIX + IndexName.parse(indexName).map(IndexName::stem).orElse(indexName);
    }

    /** The alias the job writes through; empty when it writes to the index by name. */
    public Optional<String> alias() {
        return Optional.ofNullable(alias);
    }

    /** What the sink writes documents to: the alias when one is configured, else {@link #indexName(String)}. */
    public String writeTarget(String tableName) {
        return alias != null ? alias : indexName(tableName);
    }

    private static String defaultName(String tableName) {
        return tableName.toLowerCase(Locale.ROOT);
    }

    private static List<String> orEmpty(List<String> names) {
        return names == null ? List.of() : names;
    }

    @Override
    public String toString() {
        return "IndexConfig{name=" + name + ", include=" + include + ", exclude=" + exclude + ", partitionKey="
                + partitionKey + ", sortKey=" + sortKey + ", mapping=" + mapping + ", templatePatterns=" + templatePatterns
                + ", templateName=" + templateName + ", alias=" + alias + '}';
    }
}
