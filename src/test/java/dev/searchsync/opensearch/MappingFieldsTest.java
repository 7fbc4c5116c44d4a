package dev.searchsync.opensearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A mapping flattened to field path → type, and what counts as a disagreement. */
class MappingFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void objectsNestedFieldsAndMultiFieldsAreFlattened() throws Exception {
        Map<String, String> fields = MappingFields.of(JSON.readTree("{\"properties\":{"
                + "\"name\":{\"type\":\"text\",\"fields\":{\"raw\":{\"type\":\"keyword\"}}},"
                + "\"dims\":{\"properties\":{\"w\":{\"type\":\"integer\"}}},"
                + "\"tags\":{\"type\":\"nested\",\"properties\":{\"k\":{\"type\":\"keyword\"}}}}}"));
        assertThat(fields).containsExactly(
                Map.entry("dims", "object"), Map.entry("dims.w", "integer"),
                Map.entry("name", "text"), Map.entry("name.raw", "keyword"),
                Map.entry("tags", "nested"), Map.entry("tags.k", "keyword"));
    }

    @Test
    void aMissingMappingHasNoFields() throws Exception {
        assertThat(MappingFields.of(JSON.readTree("{}"))).isEmpty();
    }

    @Test
    void differentTypesAndMissingFieldsDisagreeButExtraIndexFieldsDoNot() {
        assertThat(MappingFields.disagreements(
                Map.of("price", "text", "name", "text", "extra", "long"),
                Map.of("price", "double", "name", "text", "sku", "keyword")))
                .containsExactlyInAnyOrder("field 'price': index has 'text', mapping file has 'double'",
                        "field 'sku': index has no such field, mapping file has 'keyword'");
    }
}
