package dev.searchsync.source;

import java.util.Locale;

/** Checkpoint bytes as hex, so a test can pin a format field by field with spaces and bars between fields. */
public final class Hex {
    private Hex() {}

    /** Lowercase hex of {@code bytes}, without separators. */
    public static String of(byte[] bytes) {
        StringBuilder hex = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) {
            hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return hex.toString();
    }

    /** {@code layout} without its spaces and bars. */
    public static String compact(String layout) {
        return layout.replaceAll("[\\s|]", "").toLowerCase(Locale.ROOT);
    }

    /** The bytes {@code layout} spells. */
    public static byte[] parse(String layout) {
        String hex = compact(layout);
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
