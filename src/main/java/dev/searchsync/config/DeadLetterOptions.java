package dev.searchsync.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/** The keys of property group {@value #GROUP}: where changes that cannot be indexed are kept, whole. */
public final class DeadLetterOptions {
    public static final String GROUP = "deadletter";

    /** What {@link #isValidPath} accepts, in the words errors and docs use. */
    public static final String PATH_EXPECTED = "an s3://bucket/prefix, s3a://bucket/prefix or file:///absolute/path"
            + " URI";

    public static final Option<String> PATH = Option.of(GROUP, "path",
            ValueType.matching(PATH_EXPECTED, DeadLetterOptions::isValidPath), "file:///tmp/searchsync/dead-letters",
            "Prefix under which dead letters are written, as JSON lines in dt=YYYY-MM-DD/hour=HH/ folders (UTC"
                    + " hour of the failure). Required on MSF, and an s3:// prefix there (the application's role"
                    + " must be able to write it); the file:// default applies to a local run only.");

    public static final Option<String> REDRIVE_PATH = Option.of(GROUP, "redrive.path",
            ValueType.matching(PATH_EXPECTED, DeadLetterOptions::isValidPath), null,
            "The prefix the job watches for dead letters to redrive (an s3:// prefix on MSF). Default: none,"
                    + " nothing is redriven. Must not be path (or its default), nor inside it or around it.");

    public static final List<Option<?>> ALL = List.of(PATH, REDRIVE_PATH);

    private DeadLetterOptions() {}

    /**
     * True for {@code s3://bucket[/prefix]} and {@code s3a://bucket[/prefix]} with a valid bucket name, and for
     * {@code file:} URIs with an absolute path and no host; no query or fragment in either.
     */
    public static boolean isValidPath(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return false;
        }
        if (uri.getScheme() == null || uri.isOpaque() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return false;
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getPath() == null ? "" : uri.getPath();
        switch (scheme) {
            case "s3":
            case "s3a":
                return uri.getHost() != null && isBucketName(uri.getHost()) && uri.getUserInfo() == null
                        && uri.getPort() == -1 && !path.contains("//");
            case "file":
                return uri.getAuthority() == null && path.startsWith("/");
            default:
                return false;
        }
    }

    /** S3's rules for general purpose bucket names, the part that an URI host can hold. */
    private static boolean isBucketName(String name) {
        return name.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]") && !name.contains("..")
                && !name.matches("\\d+\\.\\d+\\.\\d+\\.\\d+");
    }
}
