package dev.searchsync.logs.cloudwatch;

import dev.searchsync.model.UndecodableRecordException;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Decoding payloads built to the AWS format: what is read, what is skipped, and what is refused without quoting it. */
class LogsPayloadTest {
    private static final int LIMIT = 16 * 1024 * 1024;
    private static final long T0 = 1_764_583_200_123L;
    private static final String SECRET = "password=hunter2";

    @Test
    void aDataMessageIsReadWithAwsEventIds() throws Exception {
        byte[] data = LogsPayloads.data("/aws/lambda/orders", "2026/12/01/[$LATEST]0123456789abcdef")
                .event(LogsPayloads.awsId(1), T0, "START RequestId: 1")
                .event(LogsPayloads.awsId(2), T0 + 1, "END RequestId: 1")
                .gzip();

        LogsPayload payload = LogsPayload.decode(data, LIMIT);

        assertThat(payload.isControlMessage()).isFalse();
        assertThat(payload.owner()).isEqualTo(LogsPayloads.OWNER);
        assertThat(payload.logGroup()).isEqualTo("/aws/lambda/orders");
        assertThat(payload.logStream()).isEqualTo("2026/12/01/[$LATEST]0123456789abcdef");
        assertThat(payload.subscriptionFilters()).containsExactly("to-kinesis");
        assertThat(payload.logEvents()).extracting(LogEvent::id)
                .containsExactly(LogsPayloads.awsId(1), LogsPayloads.awsId(2));
        assertThat(payload.logEvents().get(0).id()).hasSize(56);
        assertThat(payload.logEvents()).extracting(LogEvent::timestamp).containsExactly(T0, T0 + 1);
        assertThat(payload.logEvents()).extracting(LogEvent::index).containsExactly(0, 1);
        assertThat(payload.logEvents().get(0).extractedFields()).isNull();
    }

    @Test
    void motosIntegerIdsAreReadAsText() throws Exception {
        byte[] data = LogsPayloads.data("g", "s").motoEvent(0, T0, "a").motoEvent(17, T0, "b").gzip();

        assertThat(LogsPayload.decode(data, LIMIT).logEvents()).extracting(LogEvent::id).containsExactly("0", "17");
    }

    @Test
    void aControlMessageHoldsNoEvents() throws Exception {
        LogsPayload payload = LogsPayload.decode(LogsPayloads.control(), LIMIT);

        assertThat(payload.isControlMessage()).isTrue();
        assertThat(payload.logEvents()).isEmpty();
    }

    @Test
    void extractedFieldsKeepTheirOrderAndText() throws Exception {
        byte[] data = LogsPayloads.data("g", "s").event(LogsPayloads.awsId(1), T0, "127.0.0.1 - frank 200",
                Map.of("ip", "127.0.0.1")).gzip();
        LogsPayloads mixed = LogsPayloads.data("g", "s");
        mixed.event(LogsPayloads.awsId(2), T0, "x");
        ObjectNode fields = ((ObjectNode) mixed.json().withArray("logEvents").get(0)).putObject("extractedFields");
        fields.put("user", "frank").put("status", "200").put("bytes", new java.math.BigDecimal("12345678901234567890.10"));

        assertThat(LogsPayload.decode(data, LIMIT).logEvents().get(0).extractedFields())
                .containsExactly(Map.entry("ip", "127.0.0.1"));
        assertThat(LogsPayload.decode(mixed.gzip(), LIMIT).logEvents().get(0).extractedFields()).containsExactly(
                Map.entry("user", "frank"), Map.entry("status", "200"), Map.entry("bytes", "12345678901234567890.10"));
    }

    @Test
    void oneMegabyteEventsAndManyEventsPerRecordAreRead() throws Exception {
        char[] big = new char[1024 * 1024];
        Arrays.fill(big, 'x');
        LogsPayloads payload = LogsPayloads.data("g", "s").event(LogsPayloads.awsId(0), T0, new String(big));
        for (int i = 1; i <= 5_000; i++) {
            payload.event(LogsPayloads.awsId(i), T0 + i, "line " + i);
        }

        List<LogEvent> events = LogsPayload.decode(payload.gzip(), LIMIT).logEvents();

        assertThat(events).hasSize(5_001);
        assertThat(events.get(0).message()).hasSize(1024 * 1024);
        assertThat(events.get(5_000).message()).isEqualTo("line 5000");
    }

    @Test
    void dataPastTheDecodeLimitIsUndecodable() {
        char[] big = new char[100_000];
        Arrays.fill(big, 'x');
        byte[] data = LogsPayloads.data("g", "s").event(LogsPayloads.awsId(0), T0, new String(big)).gzip();

        assertThatThrownBy(() -> LogsPayload.decode(data, 10_000)).isInstanceOf(UndecodableRecordException.class)
                .hasMessage("gzip data decompresses to more than the limit of 10000 decoded bytes per Kinesis record");
    }

    @Test
    void poisonPayloadsAreUndecodableAndTheirMessagesQuoteNothing() {
        byte[] plain = ("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"g\",\"logStream\":\"s\",\"logEvents\":[{\"id\":\"1\","
                + "\"timestamp\":1,\"message\":\"" + SECRET + "\"}]}").getBytes(StandardCharsets.UTF_8);
        assertUndecodable(plain, "the record's data is not gzip, expected a CloudWatch Logs subscription payload"
                + " (gzip of JSON)");
        byte[] truncated = Arrays.copyOf(LogsPayloads.gzip(plain), 20);
        assertThatThrownBy(() -> LogsPayload.decode(truncated, LIMIT)).isInstanceOf(UndecodableRecordException.class)
                .hasMessageStartingWith("gzip data cannot be decompressed");
        assertUndecodable(LogsPayloads.gzip(("{\"messageType\":\"DATA_MESSAGE\",\"logGroup\":\"" + SECRET)
                .getBytes(StandardCharsets.UTF_8)), "the decompressed payload is not JSON (fault near byte offset 58)");
        assertUndecodable(LogsPayloads.gzip(("[\"" + SECRET + "\"]").getBytes(StandardCharsets.UTF_8)),
                "the decompressed payload is not one JSON object");

        assertBroken(root -> root.remove("logGroup"), "logGroup is missing, expected a non-empty string");
        assertBroken(root -> root.put("logStream", ""), "logStream is an empty string, expected a non-empty string");
        assertBroken(root -> root.remove("logEvents"), "logEvents is missing, expected an array");
        assertBroken(root -> root.put("logEvents", SECRET), "logEvents is a string, expected an array");
        assertBroken(root -> root.put("messageType", SECRET),
                "messageType is neither DATA_MESSAGE nor CONTROL_MESSAGE");
        assertBroken(root -> event(root, 1).remove("id"),
                "logEvents[1].id is missing, expected the event id (a non-empty string or an integer)");
        assertBroken(root -> event(root, 1).put("id", 1.5),
                "logEvents[1].id is a number value, expected the event id (a non-empty string or an integer)");
        assertBroken(root -> event(root, 1).put("timestamp", SECRET),
                "logEvents[1].timestamp is a string, expected epoch milliseconds (an integer from 0 to "
                        + LogsPayload.MAX_TIMESTAMP + ")");
        assertBroken(root -> event(root, 1).put("timestamp", -1), "logEvents[1].timestamp is a number value,"
                + " expected epoch milliseconds (an integer from 0 to " + LogsPayload.MAX_TIMESTAMP + ")");
        assertBroken(root -> event(root, 1).remove("message"), "logEvents[1].message is missing, expected a string");
        assertBroken(root -> event(root, 1).put("message", 7), "logEvents[1].message is a number value, expected a"
                + " string");
        assertBroken(root -> event(root, 1).put("extractedFields", SECRET),
                "logEvents[1].extractedFields is a string, expected an object");
        assertBroken(root -> root.withArray("logEvents").add(SECRET), "logEvents[2] is a string, expected an object");
    }

    private static ObjectNode event(ObjectNode root, int i) {
        return (ObjectNode) root.withArray("logEvents").get(i);
    }

    private static void assertBroken(Consumer<ObjectNode> breakIt, String message) {
        LogsPayloads payload = LogsPayloads.data("g", "s").event("1", T0, SECRET).event("2", T0, SECRET);
        breakIt.accept(payload.json());
        assertUndecodable(payload.gzip(), message);
    }

    private static void assertUndecodable(byte[] data, String message) {
        assertThatThrownBy(() -> LogsPayload.decode(data, LIMIT)).isInstanceOf(UndecodableRecordException.class)
                .hasMessage(message).message().doesNotContain("hunter2");
    }
}
