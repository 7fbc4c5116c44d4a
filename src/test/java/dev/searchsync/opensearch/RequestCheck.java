package dev.searchsync.opensearch;

/** What an authenticating front end (AWS, the security plugin) decides about one request, for the test proxy. */
interface RequestCheck {
    /** Null to let the request through; otherwise the answer the client gets instead. */
    Rejection check(ReceivedRequest request);

    /** An error answer: status, the reason put in its JSON body, and an optional header (WWW-Authenticate). */
    record Rejection(int status, String reason, String headerName, String headerValue) {
        static Rejection of(int status, String reason) {
            return new Rejection(status, reason, null, null);
        }
    }
}
