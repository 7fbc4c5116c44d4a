package dev.searchsync.source.enumerator;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Where a shard is in its life as the enumerator sees it, each with the code that checkpoints hold for it. */
public enum ShardStatus {
    /** Known, not yet handed to a reader (its parents may still be read). */
    UNASSIGNED(0),
    /** A reader owns it. */
    ASSIGNED(1),
    /** Read to its end; remembered while a child may still refer to it. */
    FINISHED(2);

    // Savepoints hold these codes: never change or reuse one, whatever the order of the constants.
    private final int code;

    ShardStatus(int code) {
        this.code = code;
    }

    /** The byte checkpoints hold for this status. */
    public int code() {
        return code;
    }

    /** The status written as {@code code}; fails naming the code when this build does not know it. */
    public static ShardStatus fromCode(int code) {
        for (ShardStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown shard status code " + code + " (this build knows "
                + Arrays.stream(values()).map(c -> c + "=" + c.code).collect(Collectors.joining(", ")) + ")");
    }
}
