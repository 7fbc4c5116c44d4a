package dev.searchsync.logs.cloudwatch;

/**
 * Makes text safe to write as UTF-8: JSON may escape half a surrogate pair ({@code "\ud800"}), which Jackson
 * reads into a Java string but refuses to encode, so one such event would fail its whole record.
 */
final class Utf16 {
    private Utf16() {}

    /** {@code text} with each unpaired surrogate replaced by U+FFFD; the same instance when there is none. */
    static String wellFormed(String text) {
        int i = firstLoneSurrogate(text, 0);
        if (i < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        while (i >= 0) {
            out.append(text, from, i).append('\uFFFD');
            from = i + 1;
            i = firstLoneSurrogate(text, from);
        }
        return out.append(text, from, text.length()).toString();
    }

    private static int firstLoneSurrogate(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }
}
