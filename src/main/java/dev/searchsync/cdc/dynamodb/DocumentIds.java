package dev.searchsync.cdc.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * Turns an item's key into its OpenSearch {@code _id}. The id must be the same for every change of an item and
 * different for every other item, or a write would land on, or a delete remove, the wrong document.
 *
 * <p>Each key value becomes text (S as is; N as its canonical decimal, since DynamoDB treats 1 and 1.0 as the same
 * key; B as standard base64); {@code \} and {@code |} are escaped in each part and the parts are joined with
 * {@code |}, so no two keys share an id. A leading {@code ~} is escaped so ids of the form {@code ~sha256:<hex>},
 * used when the id would exceed OpenSearch's 512-byte limit, can never collide with an unhashed id.
 */
public final class DocumentIds {
    /** OpenSearch refuses longer ids. */
    public static final int MAX_ID_BYTES = 512;
    public static final String HASHED_PREFIX = "~sha256:";

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private DocumentIds() {}

    /**
     * @throws IllegalArgumentException naming the attribute when a key attribute is missing, empty or not S, N or B
     */
    public static String of(Map<String, AttributeValue> key, KeySchema schema) {
        String partition = escape(part(key, schema.partitionKey(), "partition"));
        StringBuilder id = new StringBuilder(partition.length() + 16);
        if (partition.startsWith("~")) {
            id.append('\\');
        }
        id.append(partition);
        if (schema.sortKey().isPresent()) {
            id.append('|').append(escape(part(key, schema.sortKey().get(), "sort")));
        }
        byte[] utf8 = id.toString().getBytes(StandardCharsets.UTF_8);
        return utf8.length <= MAX_ID_BYTES ? id.toString() : HASHED_PREFIX + sha256Hex(utf8);
    }

    private static String part(Map<String, AttributeValue> key, String attribute, String role) {
        AttributeValue value = key.get(attribute);
        if (value == null) {
            throw new IllegalArgumentException(role + " key attribute '" + attribute + "' is missing from the key"
                    + " (the key has " + key.keySet() + ")");
        }
        String text;
        switch (value.type()) {
            case S:
                text = value.s();
                break;
            case N:
                try {
                    text = DynamoNumbers.parse(value.n()).stripTrailingZeros().toPlainString();
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(role + " key attribute '" + attribute + "': "
                            + e.getMessage(), e);
                }
                break;
            case B:
                text = Base64.getEncoder().encodeToString(value.b().asByteArrayUnsafe());
                break;
            default:
                throw new IllegalArgumentException(role + " key attribute '" + attribute + "' is of type "
                        + value.type() + ", expected S, N or B");
        }
        if (text == null || text.isEmpty()) {
            // DynamoDB refuses empty key values, and OpenSearch refuses an empty _id.
            throw new IllegalArgumentException(role + " key attribute '" + attribute + "' is empty");
        }
        return text;
    }

    private static String escape(String part) {
        if (part.indexOf('\\') < 0 && part.indexOf('|') < 0) {
            return part;
        }
        StringBuilder out = new StringBuilder(part.length() + 8);
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c == '\\' || c == '|') {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String sha256Hex(byte[] bytes) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        char[] hex = new char[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = HEX[(digest[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX[digest[i] & 0xf];
        }
        return new String(hex);
    }
}
