package dev.searchsync.opensearch;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/** Checks HTTP basic credentials the way the OpenSearch security plugin does: 401 with a challenge otherwise. */
final class BasicAuthCheck implements RequestCheck {
    private final String expected;

    BasicAuthCheck(String username, String password) {
        this.expected = "Basic " + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public Rejection check(ReceivedRequest request) {
        String authorization = request.header("authorization");
        if (authorization != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                authorization.getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        return new Rejection(401, authorization == null ? "no credentials" : "wrong user name or password",
                "WWW-Authenticate", "Basic realm=\"searchsync-test\"");
    }
}
