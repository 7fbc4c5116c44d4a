package dev.searchsync.opensearch;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request exactly as the test proxy received it, which is what an authenticating server judges.
 *
 * @param headers lower-case names, each with its values in the order received
 */
record ReceivedRequest(String method, String rawPath, String rawQuery, Map<String, List<String>> headers, byte[] body) {

    /** The first value of a header, or null. */
    String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
