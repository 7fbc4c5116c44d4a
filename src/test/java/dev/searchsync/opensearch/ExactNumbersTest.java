package dev.searchsync.opensearch;

import org.junit.jupiter.api.Test;
import org.opensearch.action.bulk.BulkRequest;
import org.opensearch.action.delete.DeleteRequest;
import org.opensearch.action.index.IndexRequest;
import org.opensearch.client.BulkBodies;
import org.opensearch.common.xcontent.XContentType;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Decimal numbers survive the OpenSearch client's re-encoding of bulk documents, digit for digit. */
class ExactNumbersTest {
    private static final String DOCUMENT = "{\"big\":12345678901234567890123456789012345678,"
            + "\"tiny\":0.000000000000000000001,\"price\":1.50,\"pi\":3.14159265358979323846264338327950288,"
            + "\"neg\":-0.5,\"list\":[1.25,\"x\",{\"deep\":-12.000}],\"text\":\"\uE000#9.9\",\"\uE000key\":\"\uE000\"}";

    @Test
    void protectThenRestoreGivesBackTheSameText() {
        assertThat(ExactNumbers.restore(ExactNumbers.protect(DOCUMENT))).isEqualTo(DOCUMENT);
    }

    @Test
    void genuineStringsThatLookLikeMarksStayStrings() {
        String restored = ExactNumbers.restore(ExactNumbers.protect("{\"s\":\"\uE000#1.5\"}"));
        assertThat(restored).isEqualTo("{\"s\":\"\uE000#1.5\"}");
    }

    @Test
    void exactThroughTheClientsOwnBulkEncoding() throws Exception {
        BulkRequest bulk = new BulkRequest();
        bulk.add(new IndexRequest("idx").id("\uE000\uE000id").source(ExactNumbers.protect(DOCUMENT), XContentType.JSON));
        bulk.add(new DeleteRequest("idx", "gone"));
        bulk.add(new IndexRequest("idx").id("2").source(ExactNumbers.protect("{\"a\":0.1}"), XContentType.JSON));

        byte[] body = clientBulkBody(bulk);
        String sent = new String(ExactBulkBodies.restore(body), StandardCharsets.UTF_8);

        String[] lines = sent.split("\n");
        assertThat(lines).hasSize(5);
        assertThat(lines[0]).contains("\"_id\":\"\uE000\uE000id\"");
        assertThat(lines[1]).isEqualTo(DOCUMENT);
        assertThat(lines[3]).contains("\"_id\":\"2\"");
        assertThat(lines[4]).isEqualTo("{\"a\":0.1}");
        // Without protection the client itself would have changed the numbers:
        BulkRequest unprotected = new BulkRequest().add(new IndexRequest("idx").id("3").source(DOCUMENT, XContentType.JSON));
        assertThat(new String(clientBulkBody(unprotected), StandardCharsets.UTF_8)).contains("1.0E-21");
    }

    private static byte[] clientBulkBody(BulkRequest bulk) throws Exception {
        return BulkBodies.of(bulk);
    }
}
