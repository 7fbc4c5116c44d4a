package dev.searchsync.validate;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Documents over the size or field limit are named with the limit they break; the rest pass. */
class DocumentLimitsTest {
    private final DocumentLimits limits = new DocumentLimits(64, 3);

    @Test
    void documentsOverALimitAreNamedWithTheLimit() {
        assertThat(limits.problem("{\"x\":1,\"y\":{\"z\":2}}")).isNull();
        assertThat(limits.problem("{\"text\":\"" + "x".repeat(100) + "\"}"))
                .isEqualTo("document of 111 bytes is over index/max.document.bytes (64)");
        assertThat(limits.problem("{\"p\":1,\"q\":2,\"r\":3,\"s\":4}"))
                .isEqualTo("document has 4 distinct fields, over index/max.fields (3)");
    }

    @Test
    void aCountFromTheInputIsTakenWithoutParsing() {
        byte[] oneField = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
        assertThat(limits.problem(oneField, 1)).isNull();
        assertThat(limits.problem(oneField, 4)).as("the input's count, not a parse")
                .isEqualTo("document has 4 distinct fields, over index/max.fields (3)");
        assertThat(limits.problem("{\"p\":1,\"q\":2,\"r\":3,\"s\":4}".getBytes(StandardCharsets.UTF_8), -1))
                .as("uncounted: parsed").isEqualTo("document has 4 distinct fields, over index/max.fields (3)");
    }

    @Test
    void fieldPathsCountAsAMappingWould() {
        assertThat(DocumentLimits.countFieldPaths("{}")).isZero();
        assertThat(DocumentLimits.countFieldPaths("{\"a\":{\"b\":1,\"c\":{\"d\":2}}}")).isEqualTo(4);
        assertThat(DocumentLimits.countFieldPaths("{\"a\":[{\"x\":1},{\"y\":2},{\"x\":3}],\"b\":[1,2]}"))
                .as("array elements share their field's paths").isEqualTo(4);
        assertThat(DocumentLimits.countFieldPaths("{\"a\":[[{\"x\":1}]],\"x\":1}")).isEqualTo(3);
    }
}
