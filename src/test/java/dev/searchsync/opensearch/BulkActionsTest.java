package dev.searchsync.opensearch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Splitting a bulk body into actions to send some again, and reading whether an answer reports errors. */
class BulkActionsTest {

    @Test
    void eachActionKeepsItsDocumentLineAndDeletesHaveNone() throws Exception {
        String body = "{\"index\":{\"_index\":\"i\",\"_id\":\"a\"}}\n{\"n\":1}\n"
                + "{\"delete\":{\"_index\":\"i\",\"_id\":\"b\"}}\n"
                + "{\"create\":{\"_index\":\"i\",\"_id\":\"c\"}}\n{\"text\":\"line\\nbreak\"}\n";
        List<String> actions = BulkActions.split(body.getBytes(StandardCharsets.UTF_8)).stream()
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8)).collect(Collectors.toList());

        assertThat(actions).containsExactly(
                "{\"index\":{\"_index\":\"i\",\"_id\":\"a\"}}\n{\"n\":1}\n",
                "{\"delete\":{\"_index\":\"i\",\"_id\":\"b\"}}\n",
                "{\"create\":{\"_index\":\"i\",\"_id\":\"c\"}}\n{\"text\":\"line\\nbreak\"}\n");
        assertThat(String.join("", actions)).isEqualTo(body);
    }

    @Test
    void aLineThatIsNoActionIsRefused() {
        assertThatThrownBy(() -> BulkActions.split("[1,2]\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("not a bulk action line");
    }

    @Test
    void errorsAreReadFromTheTopOfTheAnswer() throws Exception {
        assertThat(BulkActions.answerHasErrors(bytes("{\"took\":3,\"errors\":false,\"items\":[{}]}"))).isFalse();
        assertThat(BulkActions.answerHasErrors(bytes("{\"took\":3,\"errors\":true,\"items\":[{}]}"))).isTrue();
        assertThat(BulkActions.answerHasErrors(bytes("{\"took\":3,\"items\":[{}]}"))).as("unsaid: look").isTrue();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
