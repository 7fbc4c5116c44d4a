package dev.searchsync.config;

import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.cdc.dynamodb.DescribeTableKeySchema;
import dev.searchsync.cdc.dynamodb.KeySchema;
import dev.searchsync.cdc.dynamodb.KeySchemaSource;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Group {@code index} defaults to the table's own name and keys, and names every bad value precisely. */
class IndexConfigTest {
    private static final String NAME_EXPECTED = "expected an OpenSearch index name: lowercase, none of"
            + " \\ / * ? \" < > | , # : or space, not starting with - _ +, not . or .., at most 255 bytes";
    /** What key 'name' expects: such a name, or one with a date pattern. */
    private static final String NAME_OR_PATTERN_EXPECTED = NAME_EXPECTED + "; or such a name with one {date"
            + " pattern} in it, such as events-{yyyy.MM.dd} (java.time DateTimeFormatter letters, formatted in UTC);"
            + " for CloudWatch Logs also with {log_group}, such as cwl-{log_group}-{yyyy.MM.dd}";
    private static final AwsClientSettings AWS = AwsClientSettings.local(URI.create("http://127.0.0.1:1"), "eu-west-1");

    @Test
    void defaultsComeFromTheTable() {
        IndexConfig config = read(Map.of(), "Orders_2024");
        assertThat(config.name()).hasValue("orders_2024");
        assertThat(config.indexName("Orders_2024")).isEqualTo("orders_2024");
        assertThat(config.include()).isEmpty();
        assertThat(config.exclude()).isEmpty();
        assertThat(config.partitionKey()).isEmpty();
        assertThat(config.sortKey()).isEmpty();
        assertThat(KeySchemaSource.configured(config, "Orders_2024", AWS)).isInstanceOf(DescribeTableKeySchema.class);
        assertThat(config.mapping()).isEmpty();
    }

    @Test
    void tableKnownOnlyLaterGivesTheDefaultThen() {
        IndexConfig config = read(Map.of(), null);
        assertThat(config.name()).isEmpty();
        assertThat(config.indexName("Orders")).isEqualTo("orders");
    }

    @Test
    void everyKeyIsRead() {
        IndexConfig config = read(Map.of("name", "orders-v2", "attributes.include", "total, status ,customer",
                "attributes.exclude", "secret", "partition.key", "customerId", "sort.key", "orderDate",
                "mapping", "orders.json"), "Orders");
        assertThat(config.name()).hasValue("orders-v2");
        assertThat(config.indexName("Orders")).isEqualTo("orders-v2");
        assertThat(config.include()).containsExactly("total", "status", "customer");
        assertThat(config.exclude()).containsExactly("secret");
        assertThat(config.partitionKey()).hasValue("customerId");
        assertThat(config.sortKey()).hasValue("orderDate");
        assertThat(KeySchemaSource.configured(config, "Orders", AWS).keySchema())
                .isEqualTo(KeySchema.of("customerId", "orderDate"));
        assertThat(config.mapping()).hasValue("orders.json");
    }

    @Test
    void withoutTemplateOrAliasTheJobWritesToTheIndex() {
        IndexConfig config = read(Map.of(), "Orders");
        assertThat(config.templatePatterns()).isEmpty();
        assertThat(config.alias()).isEmpty();
        assertThat(config.writeTarget("Orders")).isEqualTo("orders");
    }

    @Test
    void templateAndAliasAreRead() {
        IndexConfig config = read(Map.of("template.patterns", "events-*, *-archive,events-*", "alias", "events"),
                "Orders");
        assertThat(config.templatePatterns()).containsExactly("events-*", "*-archive");
        assertThat(config.templateName("orders")).isEqualTo("searchsync-orders");
        assertThat(config.alias()).hasValue("events");
        assertThat(config.writeTarget("Orders")).isEqualTo("events");
        assertThat(read(Map.of("template.patterns", "events-*", "template.name", "events"), "Orders")
                .templateName("orders")).isEqualTo("events");
    }

    @Test
    void everyPatternRuleIsChecked() {
        for (String bad : List.of("Events-*", "*", "**", "a b*", "a/*", "a?*", "a,,b", "_a*", "-*", "+*", "a:*",
                "a#*", "events-*,")) {
            assertProblems(Map.of("template.patterns", bad), "Orders", "property group 'index', key"
                    + " 'template.patterns': got '" + bad + "', expected comma-separated index name patterns: each"
                    + " an index name (lowercase, none of \\ / ? \" < > | , # : or space, not starting with - _ +)"
                    + " in which * stands for any text, and not * alone");
        }
        for (String good : List.of("events-*", "*-events", "logs-*-eu", "a", "events-2024.*")) {
            assertThat(read(Map.of("template.patterns", good), "Orders").templatePatterns()).as(good)
                    .containsExactly(good);
        }
    }

    @Test
    void templateNameWithoutPatternsIsRefused() {
        assertProblems(Map.of("template.name", "events"), "Orders", "property group 'index': 'template.name' is"
                + " set without 'template.patterns', expected 'template.patterns' too (the index name patterns the"
                + " template applies to), or neither");
        assertProblems(Map.of("template.patterns", "e-*", "template.name", "Events"), "Orders", "property group"
                + " 'index', key 'template.name': got 'Events', expected a template name, under the rules of an"
                + " index name");
    }

    @Test
    void aliasMustBeAnIndexNameOtherThanTheIndexs() {
        assertProblems(Map.of("alias", "Orders-Live"), "Orders",
                "property group 'index', key 'alias': got 'Orders-Live', " + NAME_EXPECTED);
        assertProblems(Map.of("alias", "orders"), "Orders", "property group 'index', key 'alias': got 'orders',"
                + " expected another name than the index's: an alias and an index cannot share a name");
    }

    @Test
    void partitionKeyAloneMeansNoSortKey() {
        IndexConfig config = read(Map.of("partition.key", "id"), "Orders");
        assertThat(KeySchemaSource.configured(config, "Orders", AWS).keySchema()).isEqualTo(KeySchema.of("id"));
    }

    @Test
    void uppercaseNameIsRefused() {
        assertProblems(Map.of("name", "Orders"), "Orders",
                "property group 'index', key 'name': got 'Orders', " + NAME_OR_PATTERN_EXPECTED);
    }

    @Test
    void everyOpenSearchNameRuleIsChecked() {
        for (String bad : List.of("a\\b", "a/b", "a*b", "a?b", "a\"b", "a<b", "a>b", "a|b", "a,b", "a#b", "a:b",
                "a b", "-a", "_a", "+a", ".", "..", "x".repeat(256), "é".repeat(128))) {
            assertProblems(Map.of("name", bad), "Orders",
                    "property group 'index', key 'name': got '" + bad + "', " + NAME_OR_PATTERN_EXPECTED);
        }
        for (String good : List.of("a", "a-b_c+d.e", ".hidden", "x".repeat(255), "é".repeat(127), "logs-2024.01")) {
            assertThat(read(Map.of("name", good), "Orders").name()).as(good).hasValue(good);
        }
    }

    @Test
    void tableNameThatIsNoIndexNameNeedsAnExplicitName() {
        assertProblems(Map.of(), "_Orders", "property group 'index', key 'name': got nothing, " + NAME_EXPECTED
                + " (the default, table name '_Orders' lower-cased, is not one)");
        assertThat(read(Map.of("name", "orders"), "_Orders").name()).hasValue("orders");
    }

    @Test
    void tableNameKnownLaterIsCheckedWhenUsed() {
        IndexConfig config = read(Map.of(), null);
        assertThatThrownBy(() -> config.indexName("-orders"))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("Invalid searchsync configuration (1 problem):\n  - property group 'index', key 'name':"
                        + " got nothing, " + NAME_EXPECTED + " (the default, table name '-orders' lower-cased, is"
                        + " not one)");
    }

    @Test
    void attributeInBothListsIsRefused() {
        assertProblems(Map.of("attributes.include", "a,b,c", "attributes.exclude", "c,d,a"), "Orders",
                "property group 'index': 'attributes.include' and 'attributes.exclude' both name a, c, expected"
                        + " each attribute in at most one of them");
    }

    @Test
    void emptyAttributeNameInAListIsRefused() {
        assertProblems(Map.of("attributes.include", "a,,b"), "Orders",
                "property group 'index', key 'attributes.include': got 'a,,b', expected comma-separated top-level"
                        + " attribute names");
        assertProblems(Map.of("attributes.exclude", "a,"), "Orders",
                "property group 'index', key 'attributes.exclude': got 'a,', expected comma-separated top-level"
                        + " attribute names");
    }

    @Test
    void sortKeyWithoutPartitionKeyIsRefused() {
        assertProblems(Map.of("sort.key", "orderDate"), "Orders",
                "property group 'index': 'sort.key' is set without 'partition.key', expected both, only"
                        + " 'partition.key', or neither (to read the key schema from the table)");
    }

    @Test
    void keyAttributeNameOverDynamoDbsLimitIsRefused() {
        String name = "k".repeat(256);
        assertProblems(Map.of("partition.key", name), "Orders",
                "property group 'index', key 'partition.key': got '" + name + "', expected a DynamoDB key attribute"
                        + " name (1 to 255 bytes)");
    }

    @Test
    void blankValuesCountAsAbsent() {
        IndexConfig config = read(Map.of("name", " ", "attributes.include", "", "mapping", " "), "Orders");
        assertThat(config.name()).hasValue("orders");
        assertThat(config.include()).isEmpty();
        assertThat(config.mapping()).isEmpty();
    }

    @Test
    void everyOptionIsListedOnceInItsGroup() {
        assertThat(IndexOptions.ALL).extracting(o -> o.key()).containsExactly("name", "attributes.include",
                "attributes.exclude", "partition.key", "sort.key", "mapping", "template.patterns", "template.name",
                "alias", "max.document.bytes", "max.fields");
        assertThat(IndexOptions.ALL).allSatisfy(o -> assertThat(o.group()).isEqualTo("index"));
        assertThat(IndexOptions.MAX_DOCUMENT_BYTES.defaultText()).isEqualTo("4194304");
        assertThat(IndexOptions.MAX_FIELDS.defaultText()).isEqualTo("1000");
    }

    private static IndexConfig read(Map<String, String> index, String tableName) {
        ConfigReader reader = new ConfigReader(PropertyGroups.of(Map.of("index", index)));
        IndexConfig config = IndexConfig.read(reader, tableName);
        reader.throwIfInvalid();
        return config;
    }

    private static void assertProblems(Map<String, String> index, String tableName, String... problems) {
        ConfigReader reader = new ConfigReader(PropertyGroups.of(Map.of("index", index)));
        IndexConfig.read(reader, tableName);
        assertThatThrownBy(reader::throwIfInvalid)
                .isInstanceOfSatisfying(InvalidConfigurationException.class,
                        e -> assertThat(e.problems()).containsExactly(problems));
    }
}
