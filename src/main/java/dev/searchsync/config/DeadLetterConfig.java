package dev.searchsync.config;

import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** The validated settings of group {@value DeadLetterOptions#GROUP}: where dead letters are written and redriven. */
public final class DeadLetterConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String ON_MANAGED_FLINK = "expected an s3://bucket/prefix or s3a://bucket/prefix URI on"
            + " Managed Service for Apache Flink, where a local folder is a TaskManager's disk and goes with it"
            + " (the file:// default suits a local run only)";

    private final String path;
    private final String redrivePath;

    private DeadLetterConfig(String path, String redrivePath) {
        this.path = Objects.requireNonNull(path);
        this.redrivePath = redrivePath;
    }

    /**
     * Settings for dead letters under {@code path} and no redrive, for tests and local runs.
     *
     * @throws IllegalArgumentException when {@code path} is not {@value DeadLetterOptions#PATH_EXPECTED}
     */
    public static DeadLetterConfig of(String path) {
        return of(path, null);
    }

    /**
     * Settings for dead letters under {@code path}, redriven from {@code redrivePath} (null for none).
     *
     * @throws IllegalArgumentException when either is not {@value DeadLetterOptions#PATH_EXPECTED}
     */
    public static DeadLetterConfig of(String path, String redrivePath) {
        for (String each : new String[] {path, redrivePath}) {
            if (each != null && !DeadLetterOptions.isValidPath(each.trim())) {
                throw new IllegalArgumentException("'" + each + "' is not " + DeadLetterOptions.PATH_EXPECTED);
            }
        }
        return new DeadLetterConfig(normalize(path.trim()), redrivePath == null ? null : normalize(redrivePath.trim()));
    }

    /**
     * Reads and checks group {@value DeadLetterOptions#GROUP}; problems go to {@code reader}. On Managed Service
     * for Apache Flink both prefixes must be in S3: the {@code file://} default, and any local folder, would be a
     * TaskManager's disk, which does not outlive it.
     */
    public static DeadLetterConfig read(ConfigReader reader) {
        // The default when the key is absent, so that every check below applies to it too.
        String path = reader.get(DeadLetterOptions.PATH).map(DeadLetterConfig::normalize).orElse(null);
        String redrive = reader.get(DeadLetterOptions.REDRIVE_PATH).map(DeadLetterConfig::normalize).orElse(null);
        if (reader.origin() == PropertyGroups.Origin.MANAGED_FLINK) {
            if (!reader.isSet(DeadLetterOptions.PATH) || (path != null && !isS3(path))) {
                reader.problem(DeadLetterOptions.PATH, ON_MANAGED_FLINK);
                path = null;
            }
            if (redrive != null && !isS3(redrive)) {
                reader.problem(DeadLetterOptions.REDRIVE_PATH, ON_MANAGED_FLINK);
                redrive = null;
            }
        }
        if (path != null && redrive != null && overlap(path, redrive)) {
            reader.problem(DeadLetterOptions.REDRIVE_PATH, "expected a prefix apart from path ('" + path
                    + "'): dead letters written under it would be redriven again at once");
        }
        return new DeadLetterConfig(path == null ? DeadLetterOptions.PATH.defaultValue().orElseThrow() : path,
                redrive);
    }

    /** The prefix dead letters go under, without a trailing slash: {@code s3://bucket/prefix} or {@code file:///dir}. */
    public String path() {
        return path;
    }

    /** The prefix the job watches for dead letters to redrive; empty when nothing is redriven. */
    public Optional<String> redrivePath() {
        return Optional.ofNullable(redrivePath);
    }

    /** Lower-case scheme, no trailing slash (a file system root keeps its one). */
    private static String normalize(String text) {
        int colon = text.indexOf(':');
        String normalized = text.substring(0, colon).toLowerCase(Locale.ROOT) + text.substring(colon);
        while (normalized.endsWith("/")) {
            String shorter = normalized.substring(0, normalized.length() - 1);
            if (shorter.endsWith(":") || shorter.endsWith(":/") || shorter.endsWith("://")) {
                break;
            }
            normalized = shorter;
        }
        return normalized;
    }

    private static boolean isS3(String prefix) {
        return prefix.startsWith("s3:") || prefix.startsWith("s3a:");
    }

    /** Whether one prefix is the other or lies inside it (s3 and s3a name the same objects). */
    private static boolean overlap(String a, String b) {
        String x = a.replaceFirst("^s3a:", "s3:").replaceFirst("^file:///", "file:/");
        String y = b.replaceFirst("^s3a:", "s3:").replaceFirst("^file:///", "file:/");
        return x.equals(y) || x.startsWith(y.endsWith("/") ? y : y + "/") || y.startsWith(x.endsWith("/") ? x : x + "/");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DeadLetterConfig)) {
            return false;
        }
        DeadLetterConfig that = (DeadLetterConfig) o;
        return path.equals(that.path) && Objects.equals(redrivePath, that.redrivePath);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, redrivePath);
    }

    @Override
    public String toString() {
        return "DeadLetterConfig{path=" + path + ", redrivePath=" + redrivePath + '}';
    }
}
