package dev.searchsync.config;

import java.util.List;

/** The keys of property group {@value #GROUP}: how the job keeps per-document order. */
public final class SyncOptions {
    public static final String GROUP = "sync";

    public static final Option<Integer> STATE_TTL_HOURS = Option.of(GROUP, "state.ttl.hours",
            ValueType.intInRange(25, 8_760), 26,
            "How long the job remembers a document's last version and whether it was deleted, after its last"
                    + " change. Must outlast the stream's 24-hour retention, so that no change older than what"
                    + " OpenSearch holds can still arrive once it is forgotten.");

    public static final List<Option<?>> ALL = List.of(STATE_TTL_HOURS);

    private SyncOptions() {}
}
