package dev.searchsync.ordering;

/** Compares stream sequence numbers, which are decimal strings too long for a long (21 to 40 digits). */
public final class SequenceNumbers {
    private SequenceNumbers() {}

    /** Numeric comparison of two non-negative decimal strings, ignoring leading zeros. */
    public static int compare(String a, String b) {
        String x = stripLeadingZeros(a);
        String y = stripLeadingZeros(b);
        if (x.length() != y.length()) {
            return Integer.compare(x.length(), y.length());
        }
        return Integer.signum(x.compareTo(y));
    }

    private static String stripLeadingZeros(String text) {
        int i = 0;
        while (i < text.length() - 1 && text.charAt(i) == '0') {
            i++;
        }
        return text.substring(i);
    }
}
