package dev.searchsync.config;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/** The keys of property group {@value #GROUP}: which OpenSearch index the table goes to, and in what shape. */
public final class IndexOptions {
    public static final String GROUP = "index";

    /** What {@link #isValidIndexName} accepts, in the words errors and docs use. */
    public static final String INDEX_NAME_EXPECTED = "an OpenSearch index name: lowercase, none of"
            + " \\ / * ? \" < > | , # : or space, not starting with - _ +, not . or .., at most 255 bytes";

    /** What {@link #isValidIndexPattern} accepts. */
    public static final String INDEX_PATTERN_EXPECTED = "comma-separated index name patterns: each an index name"
            + " (lowercase, none of \\ / ? \" < > | , # : or space, not starting with - _ +) in which * stands for any"
            + " text, and not * alone";

    /** Prefix of the template name when {@code template.name} is not set. */
    public static final String TEMPLATE_NAME_PREFIX = "searchsync-";

    private static final String FORBIDDEN_INDEX_CHARS = "\\/*?\"<>|,#: ";

    public static final Option<String> NAME = Option.of(GROUP, "name",
            ValueType.matching(IndexName.EXPECTED, IndexName::isValid), null,
            "OpenSearch index documents are written to. For source/type=kinesis without events/id.field, and for"
                    + " cloudwatch-logs, it may be an event-time pattern such as events-{yyyy.MM.dd}: each event goes"
                    + " to the index of its time (events/timestamp.field, else its arrival time; UTC), created on"
                    + " first write from the index template, whose patterns default to the name with * for the date"
                    + " (events-*). For cloudwatch-logs it may also hold {log_group}, the event's log group"
                    + " lower-cased with each run of other characters than a-z 0-9 _ . + as one - (/aws/lambda/Orders"
                    + " gives aws-lambda-orders), such as cwl-{log_group}-{yyyy.MM.dd}. Default: the table name (or"
                    + " the Kinesis stream name) lower-cased; cwl-{yyyy.MM.dd} for cloudwatch-logs.");

    public static final Option<List<String>> INCLUDE = Option.of(GROUP, "attributes.include", attributeNames(),
            null, "Top-level attributes copied into documents; the others are left out. Default: all attributes.");

    public static final Option<List<String>> EXCLUDE = Option.of(GROUP, "attributes.exclude", attributeNames(),
            null, "Top-level attributes left out of documents. An attribute cannot be in both lists.");

    public static final Option<String> PARTITION_KEY = Option.of(GROUP, "partition.key", keyAttributeName(), null,
            "The table's partition (HASH) key attribute. Default: read from the table with DescribeTable when the"
                    + " job starts.");

    public static final Option<String> SORT_KEY = Option.of(GROUP, "sort.key", keyAttributeName(), null,
            "The table's sort (RANGE) key attribute, only with partition.key; leave it out for a table without"
                    + " one.");

    public static final Option<String> MAPPING = Option.of(GROUP, "mapping",
            ValueType.string("a JSON file path, or the name of a resource under index-templates/ in the jar"), null,
            "Index settings and mappings (JSON) used to create the index when it does not exist, and put in the index"
                    + " template when template.patterns is set. Default: none, OpenSearch maps fields dynamically.");

    public static final Option<List<String>> TEMPLATE_PATTERNS = Option.of(GROUP, "template.patterns",
            names(INDEX_PATTERN_EXPECTED, IndexOptions::isValidIndexPattern), null,
            "Index name patterns (such as events-*) of a composable index template the job writes at every start,"
                    + " holding the settings and mappings of the mapping file (and the alias, if any), so that"
                    + " indices created later, such as one per day, get them. Default: none, no template.");

    public static final Option<String> TEMPLATE_NAME = Option.of(GROUP, "template.name",
            ValueType.matching("a template name, under the rules of an index name", IndexOptions::isValidIndexName),
            null, "Name of the index template; only with template.patterns. Default: " + TEMPLATE_NAME_PREFIX
                    + "<index name>.");

    public static final Option<String> ALIAS = Option.of(GROUP, "alias",
            ValueType.matching(INDEX_NAME_EXPECTED, IndexOptions::isValidIndexName), null,
            "Alias the job writes through instead of the index name; it must point to exactly one write index."
                    + " When neither the alias nor the index exists, the index is created as its write index."
                    + " Default: none, the job writes to the index by name.");

    public static final Option<Integer> MAX_DOCUMENT_BYTES = Option.of(GROUP, "max.document.bytes",
            ValueType.intInRange(1_024, 104_857_600), 4_194_304,
            "Largest document (UTF-8 bytes of its JSON) sent to OpenSearch; a larger one becomes a dead letter at"
                    + " the VALIDATE stage instead of failing its whole bulk. Keep it below"
                    + " opensearch/bulk.max.size.mb and the domain's request payload limit (10 MiB on most Amazon"
                    + " OpenSearch Service instance types).");

    public static final Option<Integer> MAX_FIELDS = Option.of(GROUP, "max.fields",
            ValueType.intInRange(1, 100_000), 1_000,
            "Most distinct field paths (object fields included) one document may have; more becomes a dead letter"
                    + " at the VALIDATE stage. Match the index's index.mapping.total_fields.limit (1000 by default).");

    public static final List<Option<?>> ALL = List.of(NAME, INCLUDE, EXCLUDE, PARTITION_KEY, SORT_KEY, MAPPING,
            TEMPLATE_PATTERNS, TEMPLATE_NAME, ALIAS, MAX_DOCUMENT_BYTES, MAX_FIELDS);

    private IndexOptions() {}

    /** OpenSearch's own rules for index names (MetadataCreateIndexService), checked before the job starts. */
    public static boolean isValidIndexName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return false;
        }
        if (!name.equals(name.toLowerCase(Locale.ROOT))) {
            return false;
        }
        char first = name.charAt(0);
        if (first == '-' || first == '_' || first == '+') {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (FORBIDDEN_INDEX_CHARS.indexOf(name.charAt(i)) >= 0) {
                return false;
            }
        }
        return name.getBytes(StandardCharsets.UTF_8).length <= 255;
    }

    /**
     * An index name in which {@code *} stands for any text, as {@code index_patterns} takes it; {@code *} alone is
     * refused, because a template for every index would also shape indices that are none of searchsync's.
     */
    public static boolean isValidIndexPattern(String pattern) {
        return !pattern.replace("*", "").isEmpty() && isValidIndexName(pattern.replace('*', 'x'));
    }

    private static ValueType<String> keyAttributeName() {
        return ValueType.matching("a DynamoDB key attribute name (1 to 255 bytes)",
                name -> !name.isEmpty() && name.getBytes(StandardCharsets.UTF_8).length <= 255);
    }

    private static ValueType<List<String>> attributeNames() {
        return names("comma-separated top-level attribute names", name -> true);
    }

    /** A comma-separated list without blanks or repeats, each element passing {@code check}. */
    private static ValueType<List<String>> names(String description, ValueType.SerializablePredicate<String> check) {
        return new ValueType<>(description) {
            private static final long serialVersionUID = 1L;

            @Override
            public List<String> parse(String text) {
                LinkedHashSet<String> names = new LinkedHashSet<>();
                for (String name : text.split(",", -1)) {
                    if (name.isBlank() || !check.test(name.trim())) {
                        throw new IllegalArgumentException();
                    }
                    names.add(name.trim());
                }
                return List.copyOf(new ArrayList<>(names));
            }

            @Override
            public String format(List<String> value) {
                return String.join(",", value);
            }
        };
    }
}
