package dev.searchsync.opensearch;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which index takes the writes sent through an alias, by OpenSearch's rule, from its GET _alias answer. */
class AliasStateTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theOnlyIndexTakesWritesUnlessMarkedNot() throws Exception {
        AliasState unmarked = state("{\"orders-1\":{\"aliases\":{\"orders\":{}}}}");
        assertThat(unmarked.writeIndex()).hasValue("orders-1");
        assertThat(unmarked.writeIndexMarked()).isFalse();

        AliasState marked = state("{\"orders-1\":{\"aliases\":{\"orders\":{\"is_write_index\":true}}}}");
        assertThat(marked.writeIndex()).hasValue("orders-1");
        assertThat(marked.writeIndexMarked()).isTrue();

        assertThat(state("{\"orders-1\":{\"aliases\":{\"orders\":{\"is_write_index\":false}}}}").writeIndex())
                .isEmpty();
    }

    @Test
    void ofSeveralIndicesOnlyTheMarkedOneTakesWrites() throws Exception {
        AliasState marked = state("{\"orders-2\":{\"aliases\":{\"orders\":{\"is_write_index\":true}}},"
                + "\"orders-1\":{\"aliases\":{\"orders\":{}}}}");
        assertThat(marked.writeIndex()).hasValue("orders-2");
        assertThat(marked.indices()).containsExactly("orders-1", "orders-2");

        AliasState unmarked = state("{\"orders-2\":{\"aliases\":{\"orders\":{}}},"
                + "\"orders-1\":{\"aliases\":{\"orders\":{\"is_write_index\":false}}}}");
        assertThat(unmarked.writeIndex()).isEmpty();
        assertThat(unmarked.writeIndexMarked()).isFalse();
    }

    @Test
    void anotherAliasOnTheSameIndexDoesNotCount() throws Exception {
        AliasState state = state("{\"orders-1\":{\"aliases\":{\"orders\":{},\"all\":{\"is_write_index\":false}}},"
                + "\"orders-2\":{\"aliases\":{\"orders\":{\"is_write_index\":true}}}}");
        assertThat(state.writeIndex()).hasValue("orders-2");
    }

    private static AliasState state(String answer) throws Exception {
        return AliasState.of("orders", JSON.readTree(answer));
    }
}
