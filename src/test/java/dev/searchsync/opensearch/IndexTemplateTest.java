package dev.searchsync.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The template body holds what the mapping file holds, plus the alias; patterns match as OpenSearch's do. */
class IndexTemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theBodyCarriesPatternsSettingsMappingsAndTheAlias() throws Exception {
        JsonNode mapping = JSON.readTree("{\"settings\":{\"number_of_shards\":1},"
                + "\"mappings\":{\"properties\":{\"at\":{\"type\":\"date\"}}},\"aliases\":{\"all\":{}}}");

        JsonNode body = IndexTemplate.body(List.of("events-*", "logs-*"), mapping, "events");

        assertThat(body).isEqualTo(JSON.readTree("{\"index_patterns\":[\"events-*\",\"logs-*\"],"
                + "\"template\":{\"settings\":{\"number_of_shards\":1},"
                + "\"mappings\":{\"properties\":{\"at\":{\"type\":\"date\"}}},"
                + "\"aliases\":{\"all\":{},\"events\":{}}},"
                + "\"_meta\":{\"managed_by\":\"searchsync\"}}"));
        assertThat(mapping.path("aliases").has("events")).as("the mapping itself is not changed").isFalse();
    }

    @Test
    void withoutMappingOrAliasTheTemplateIsEmpty() throws Exception {
        assertThat(IndexTemplate.body(List.of("events-*"), null, null)).isEqualTo(JSON.readTree(
                "{\"index_patterns\":[\"events-*\"],\"template\":{},\"_meta\":{\"managed_by\":\"searchsync\"}}"));
    }

    @Test
    void aStarStandsForAnyTextAndEverythingElseIsLiteral() {
        List<String> patterns = List.of("events-*", "*-archive", "a.b*c");

        assertThat(IndexTemplate.matches(patterns, "events-2024.05.01")).isTrue();
        assertThat(IndexTemplate.matches(patterns, "events-")).isTrue();
        assertThat(IndexTemplate.matches(patterns, "orders-archive")).isTrue();
        assertThat(IndexTemplate.matches(patterns, "a.bxxc")).isTrue();
        assertThat(IndexTemplate.matches(patterns, "axbc")).as("a dot is no regex wildcard").isFalse();
        assertThat(IndexTemplate.matches(patterns, "events")).isFalse();
        assertThat(IndexTemplate.matches(patterns, "my-events-1")).isFalse();
        assertThat(IndexTemplate.matches(List.of(), "events-1")).isFalse();
    }
}
