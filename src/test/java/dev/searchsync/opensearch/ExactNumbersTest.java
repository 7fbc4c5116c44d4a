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

    @Test
    void onlyDocumentsWithADecimalOrTheMarkNeedProtection() {
        assertThat(needs("{\"id\":\"a.b\",\"n\":12,\"big\":12345678901234567890123456789012345678}")).isFalse();
        assertThat(needs("{\"t\":true,\"f\":false,\"z\":null,\"e\":[-1,0],\"1e5\":\"2.5E3\"}")).isFalse();
        assertThat(needs("{\"q\":\"say \\\"1.5\\\" twice\",\"n\":1}")).as("an escaped quote stays inside the string")
                .isFalse();
        assertThat(needs("{\"n\":1.50}")).isTrue();
        assertThat(needs("{\"n\":[1,-0.5]}")).isTrue();
        assertThat(needs("{\"n\":1e5}")).isTrue();
        assertThat(needs("{\"n\":2E-3}")).isTrue();
        assertThat(needs("{\"s\":\"x\uE000\"}")).as("the mark, raw").isTrue();
        assertThat(needs("{\"\\ue000s\":1}")).as("the mark, escaped").isTrue();
        assertThat(needs("{\"s\":\"\\uE000#1.5\"}")).as("the mark, escaped in capitals").isTrue();
    }

    @Test
    void aDocumentWithoutDecimalsReachesTheClientAsTheInputBuiltIt() throws Exception {
        byte[] plain = "{\"id\":\"a\",\"n\":12345678901234567890123456789012345678,\"ok\":true}"
                .getBytes(StandardCharsets.UTF_8);
        assertThat(ExactNumbers.forClient(plain)).isSameAs(plain);

        BulkRequest bulk = new BulkRequest();
        bulk.add(new IndexRequest("idx").id("1").source(ExactNumbers.forClient(plain), XContentType.JSON));
        bulk.add(new IndexRequest("idx").id("2").source(ExactNumbers.forClient(DOCUMENT.getBytes(
                StandardCharsets.UTF_8)), XContentType.JSON));
        byte[] body = clientBulkBody(bulk);
        String[] lines = new String(ExactBulkBodies.restore(body), StandardCharsets.UTF_8).split("\n");
        assertThat(lines[1]).isEqualTo(new String(plain, StandardCharsets.UTF_8));
        assertThat(lines[3]).isEqualTo(DOCUMENT);
        // The client re-encodes even an unprotected document, to the same text here.
        assertThat(new String(clientBulkBody(new BulkRequest().add(new IndexRequest("idx").id("1")
                .source(plain, XContentType.JSON))), StandardCharsets.UTF_8).split("\n")[1])
                .isEqualTo(new String(plain, StandardCharsets.UTF_8));
    }

    private static boolean needs(String json) {
        return ExactNumbers.needsProtection(json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] clientBulkBody(BulkRequest bulk) throws Exception {
        return BulkBodies.of(bulk);
    }
}
