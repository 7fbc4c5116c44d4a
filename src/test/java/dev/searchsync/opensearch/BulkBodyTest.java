package dev.searchsync.opensearch;

import dev.searchsync.model.DocumentAction;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The NDJSON the sink sends: one action line per action, the document after it byte for byte. */
class BulkBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachOperationHasItsActionLineAndVersionedOnesTheirExternalVersion() throws Exception {
        byte[] body = BulkBody.of(List.of(
                SinkJobs.write("orders", "a\"1", 7, "{\"n\":1}"),
                SinkJobs.delete("orders", "b", 8),
                DocumentAction.create("logs", "event-1", "{\"m\":\"x\"}", null)));

        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n", -1);
        assertThat(lines).hasSize(6);
        assertThat(JSON.readTree(lines[0])).isEqualTo(JSON.readTree(
                "{\"index\":{\"_index\":\"orders\",\"_id\":\"a\\\"1\",\"version\":7,\"version_type\":\"external\"}}"));
        assertThat(lines[1]).isEqualTo("{\"n\":1}");
        assertThat(JSON.readTree(lines[2])).isEqualTo(JSON.readTree(
                "{\"delete\":{\"_index\":\"orders\",\"_id\":\"b\",\"version\":8,\"version_type\":\"external\"}}"));
        assertThat(JSON.readTree(lines[3])).isEqualTo(JSON.readTree(
                "{\"create\":{\"_index\":\"logs\",\"_id\":\"event-1\"}}"));
        assertThat(lines[4]).isEqualTo("{\"m\":\"x\"}");
        assertThat(lines[5]).as("the body ends with a newline").isEmpty();
    }

    @Test
    void decimalsAndEveryCharacterReachTheBodyAsTheInputWroteThem() {
        String document = "{\"price\":0.000000000000000000001,\"big\":12345678901234567890123456789012345678,"
                + "\"e\":1E+400,\"text\":\"\\uE000#1.5 \\u00e9 \uD83D\uDE00 line\\nbreak\"}";
        byte[] body = BulkBody.of(List.of(SinkJobs.write("orders", "a", 1, document)));

        assertThat(new String(body, StandardCharsets.UTF_8)).endsWith("\n" + document + "\n");
    }

    @Test
    void aDocumentWithALineBreakBetweenItsTokensIsSentOnOneLine() throws Exception {
        byte[] body = BulkBody.of(List.of(SinkJobs.write("orders", "a", 1, "{\n  \"n\": 1.50,\r\n  \"s\": \"x\"\n}")));

        String[] lines = new String(body, StandardCharsets.UTF_8).split("\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).isEqualTo("{\"n\":1.50,\"s\":\"x\"}");
    }

    @Test
    void anUnversionedWriteIsAnErrorNotASilentlyRefusedChange() {
        assertThatThrownBy(() -> BulkBody.of(List.of(SinkJobs.write("orders", "a", 0, "{}"))))
                .hasMessageContaining("has version 0, expected the external version");
    }

    @Test
    void itemsOfAnAnswerAreReadInOrderWithTheirErrors() {
        List<BulkAnswer.Item> items = BulkResponses.parse(BulkResponses.of(
                BulkResponses.indexed("orders", "a", 1),
                BulkResponses.deleted("orders", "b", 2, false),
                BulkResponses.failed("index", "orders-v2", "c", 400, "mapper_parsing_exception", "bad")));

        assertThat(items).extracting(i -> i.op + " " + i.index + "/" + i.id + " " + i.status + " " + i.failed())
                .containsExactly("index orders/a 201 false", "delete orders/b 404 false",
                        "index orders-v2/c 400 true");
        assertThat(items.get(2).failure().type).isEqualTo("mapper_parsing_exception");
        assertThat(items.get(2).failure().reason).isEqualTo("bad");
    }
}
