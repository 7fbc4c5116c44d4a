package dev.searchsync.cdc.dynamodb;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every item gets one id of its own, the same for every change of it, within OpenSearch's limit. */
class DocumentIdsTest {
    private static final KeySchema PK = KeySchema.of("pk");
    private static final KeySchema PK_SK = KeySchema.of("pk", "sk");

    @Test
    void stringKeyIsTheIdAsIs() {
        assertThat(DocumentIds.of(Map.of("pk", s("order-1")), PK)).isEqualTo("order-1");
    }

    @Test
    void numberKeyIsItsCanonicalDecimal() {
        assertThat(DocumentIds.of(Map.of("pk", n("42")), PK)).isEqualTo("42");
        assertThat(DocumentIds.of(Map.of("pk", n("1.0")), PK)).isEqualTo("1");
        assertThat(DocumentIds.of(Map.of("pk", n("1.500")), PK)).isEqualTo("1.5");
        assertThat(DocumentIds.of(Map.of("pk", n("1E+3")), PK)).isEqualTo("1000");
        assertThat(DocumentIds.of(Map.of("pk", n("0.00")), PK)).isEqualTo("0");
        assertThat(DocumentIds.of(Map.of("pk", n("-0.0")), PK)).isEqualTo("0");
        assertThat(DocumentIds.of(Map.of("pk", n("12345678901234567890123456789012345678")), PK))
                .isEqualTo("12345678901234567890123456789012345678");
    }

    @Test
    void equalNumbersAreTheSameItem() {
        assertThat(DocumentIds.of(Map.of("pk", n("100")), PK)).isEqualTo(DocumentIds.of(Map.of("pk", n("1E+2")), PK));
    }

    @Test
    void binaryKeyIsStandardBase64() {
        byte[] bytes = {(byte) 0xfb, (byte) 0xff, 0x00, 0x7f};
        assertThat(DocumentIds.of(Map.of("pk", b(bytes)), PK)).isEqualTo("+/8Afw==");
    }

    @Test
    void sortKeyIsJoinedWithABar() {
        assertThat(DocumentIds.of(Map.of("pk", s("customer-7"), "sk", n("2.50")), PK_SK)).isEqualTo("customer-7|2.5");
    }

    @Test
    void otherAttributesOfTheKeyMapAreIgnored() {
        assertThat(DocumentIds.of(Map.of("pk", s("a"), "sk", s("b"), "gsi", s("c")), PK_SK)).isEqualTo("a|b");
    }

    @Test
    void barInsideAPartIsEscapedSoPartsCannotShift() {
        String first = DocumentIds.of(Map.of("pk", s("a|b"), "sk", s("c")), PK_SK);
        String second = DocumentIds.of(Map.of("pk", s("a"), "sk", s("b|c")), PK_SK);
        assertThat(first).isEqualTo("a\\|b|c");
        assertThat(second).isEqualTo("a|b\\|c");
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void backslashIsEscapedSoItCannotFakeAnEscapedBar() {
        // Were only bars escaped, both would read a\|b\|c.
        String first = DocumentIds.of(Map.of("pk", s("a\\"), "sk", s("b|c")), PK_SK);
        String second = DocumentIds.of(Map.of("pk", s("a|b\\"), "sk", s("c")), PK_SK);
        assertThat(first).isEqualTo("a\\\\|b\\|c");
        assertThat(second).isEqualTo("a\\|b\\\\|c");
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void leadingTildeIsEscapedSoNoIdLooksHashed() {
        assertThat(DocumentIds.of(Map.of("pk", s("~sha256:abc")), PK)).isEqualTo("\\~sha256:abc");
        assertThat(DocumentIds.of(Map.of("pk", s("~x"), "sk", s("~y")), PK_SK)).isEqualTo("\\~x|~y");
        assertThat(DocumentIds.of(Map.of("pk", s("a~")), PK)).isEqualTo("a~");
    }

    @Test
    void idOverTheLimitIsHashed() throws Exception {
        String key = "k".repeat(600);
        String id = DocumentIds.of(Map.of("pk", s(key)), PK);
        assertThat(id).matches("~sha256:[0-9a-f]{64}");
        assertThat(id.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(512);
        assertThat(id).isEqualTo("~sha256:" + sha256(key));
    }

    @Test
    void hashCoversTheEscapedJoinedId() throws Exception {
        String partition = "p".repeat(300);
        String sort = "s|".repeat(150);
        String id = DocumentIds.of(Map.of("pk", s(partition), "sk", s(sort)), PK_SK);
        assertThat(id).isEqualTo("~sha256:" + sha256(partition + "|" + "s\\|".repeat(150)));
        assertThat(id).isNotEqualTo(DocumentIds.of(Map.of("pk", s(partition + "|" + sort), "sk", s("x")), PK_SK));
    }

    @Test
    void limitIsCountedInUtf8BytesNotCharacters() {
        // "é" is 2 bytes: 256 of them are exactly 512 bytes, one more character is over.
        String atLimit = "é".repeat(256);
        assertThat(DocumentIds.of(Map.of("pk", s(atLimit)), PK)).isEqualTo(atLimit);
        assertThat(DocumentIds.of(Map.of("pk", s(atLimit + "a")), PK)).startsWith("~sha256:");
        // "€" is 3 bytes and "😀" 4 (two chars): 170 x 3 + 2 = 512 fits, a 4-byte tail does not.
        String euros = "€".repeat(170);
        assertThat(DocumentIds.of(Map.of("pk", s(euros + "ab")), PK)).isEqualTo(euros + "ab");
        assertThat(DocumentIds.of(Map.of("pk", s(euros + "😀")), PK)).startsWith("~sha256:");
    }

    @Test
    void escapingCountsTowardsTheLimit() {
        String bars = "|".repeat(256);
        assertThat(DocumentIds.of(Map.of("pk", s(bars)), PK)).isEqualTo("\\|".repeat(256));
        assertThat(DocumentIds.of(Map.of("pk", s(bars + "|")), PK)).startsWith("~sha256:");
    }

    @Test
    void missingPartitionKeyIsNamed() {
        assertThatThrownBy(() -> DocumentIds.of(Map.of("id", s("x")), PK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("partition key attribute 'pk' is missing from the key (the key has [id])");
    }

    @Test
    void missingSortKeyIsNamed() {
        assertThatThrownBy(() -> DocumentIds.of(Map.of("pk", s("x")), PK_SK))
                .hasMessage("sort key attribute 'sk' is missing from the key (the key has [pk])");
    }

    @Test
    void keyOfANonKeyTypeIsNamed() {
        assertThatThrownBy(() -> DocumentIds.of(Map.of("pk", AttributeValue.fromBool(true)), PK))
                .hasMessage("partition key attribute 'pk' is of type BOOL, expected S, N or B");
    }

    @Test
    void numberKeyThatIsNotANumberIsNamed() {
        assertThatThrownBy(() -> DocumentIds.of(Map.of("pk", n("twelve")), PK))
                .hasMessage("partition key attribute 'pk': 'twelve' is not a number");
    }

    @Test
    void emptyKeyIsRefused() {
        assertThatThrownBy(() -> DocumentIds.of(Map.of("pk", s("")), PK))
                .hasMessage("partition key attribute 'pk' is empty");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(String value) {
        return AttributeValue.fromN(value);
    }

    static AttributeValue b(byte[] value) {
        return AttributeValue.fromB(SdkBytes.fromByteArray(value));
    }
}
