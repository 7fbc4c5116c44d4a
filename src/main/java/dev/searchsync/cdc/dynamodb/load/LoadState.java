package dev.searchsync.cdc.dynamodb.load;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a load's enumerator checkpoints: the load's start and version (fixed before its first Scan, the same after
 * every restore), its segment count, the segments not handed out yet, and the items each finished segment read.
 */
final class LoadState {
    final long startedAtMillis;
    final long loadVersion;
    final int totalSegments;
    final List<SegmentSplit> unassigned;
    final Map<Integer, Long> finished;

    LoadState(long startedAtMillis, long loadVersion, int totalSegments, List<SegmentSplit> unassigned,
            Map<Integer, Long> finished) {
        this.startedAtMillis = startedAtMillis;
        this.loadVersion = loadVersion;
        this.totalSegments = totalSegments;
        this.unassigned = List.copyOf(unassigned);
        this.finished = new TreeMap<>(finished);
    }

    @Override
    public String toString() {
        return "LoadState{started=" + startedAtMillis + ", version=" + loadVersion + ", " + finished.size() + "/"
                + totalSegments + " segments done, " + unassigned.size() + " not assigned}";
    }
}
