package dev.searchsync.opensearch;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Reads what a failure says, whole: a job failure wraps the cause that matters several levels deep. */
final class Failures {
    private Failures() {}

    /** The full stack trace text, with every cause and suppressed exception and their messages. */
    static String messages(Throwable failure) {
        StringWriter text = new StringWriter();
        failure.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
