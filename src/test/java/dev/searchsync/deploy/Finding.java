package dev.searchsync.deploy;

import java.nio.file.Path;

/** One defect the Terraform check found: the file to change, the rule it breaks, and what is wrong. */
record Finding(Path file, Kind kind, String message) {
    private static final Path WORKING_DIRECTORY = Path.of("").toAbsolutePath();

    /** The rule a finding breaks; each defect class has its own, so a test can tell them apart. */
    enum Kind {
        PARSE_ERROR,
        UNDEFINED_REFERENCE,
        MODULE_ARGUMENT,
        RUNTIME_MISMATCH,
        PROPERTY_GROUPS,
        IAM_WILDCARD_ACTION,
        IAM_WILDCARD_RESOURCE,
        IAM_UNEXPLAINED_STAR,
        IAM_INLINE_POLICY
    }

    @Override
    public String toString() {
        return display(file) + ": " + kind + ": " + message;
    }

    /** A path as a reader finds it: relative to the project when it is inside it. */
    static String display(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(WORKING_DIRECTORY) ? WORKING_DIRECTORY.relativize(absolute).toString()
                : absolute.toString();
    }
}
