package dev.searchsync.cdc.dynamodb;

import java.math.BigDecimal;

/** One reading of DynamoDB number text, so document ids and documents agree on what a number is. */
final class DynamoNumbers {
    /** DynamoDB's documented magnitudes, 1E-130 up to 9.99...E+125, as exponents of the leading digit. */
    private static final int MIN_EXPONENT = -130;
    private static final int MAX_EXPONENT = 125;

    private DynamoNumbers() {}

    /**
     * Exact decimal value of {@code text}. Out-of-range values are refused because DynamoDB never produces them and
     * writing one out in plain digits (1E+999999999) would take unbounded memory.
     */
    static BigDecimal parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a number without a value");
        }
        BigDecimal value;
        try {
            value = new BigDecimal(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
        if (value.signum() != 0) {
            long exponent = (long) value.precision() - value.scale() - 1;
            if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
                throw new IllegalArgumentException("'" + text + "' is outside DynamoDB's number range"
                        + " (magnitudes from 1E-130 to below 1E+126)");
            }
        }
        return value;
    }
}
