package dev.searchsync.opensearch;

import dev.searchsync.model.DocumentAction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The actions waiting for the next bulk, at most one per document: a change of a document that already waits here
 * replaces the waiting one when it is newer (a higher external version), and is dropped when it is not. OpenSearch
 * would keep only the newest of them anyway, since each carries its external version; sending only that one spares
 * it the writes a hot key would cost. A create (no version) of an id already waiting is the same event again.
 */
final class PendingBulk {
    private final Map<String, DocumentAction> actions = new LinkedHashMap<>();
    private long documentBytes;
    private long oldestMillis;
    private long newestEventTime;
    /** When each change that was coalesced away happened, so its change-to-indexed time is measured too. */
    private long[] coalescedEventTimes = new long[16];
    private int coalesced;

    /**
     * Adds {@code action}, coalescing it with the waiting change of its document.
     *
     * @return whether one action fewer will be sent than were added
     */
    boolean add(DocumentAction action, long nowMillis) {
        if (actions.isEmpty()) {
            oldestMillis = nowMillis;
        }
        newestEventTime = Math.max(newestEventTime, ChangeLatency.eventTimeOf(action));
        String key = action.getIndex() + '\u0000' + action.getId();
        DocumentAction waiting = actions.putIfAbsent(key, action);
        if (waiting == null) {
            documentBytes += bytes(action);
            return false;
        }
        if (action.getVersion() > waiting.getVersion()) {
            actions.put(key, action);
            documentBytes += bytes(action) - bytes(waiting);
            noteCoalesced(waiting);
        } else {
            noteCoalesced(action);
        }
        return true;
    }

    int size() {
        return actions.size();
    }

    boolean isEmpty() {
        return actions.isEmpty();
    }

    /** The bytes of the waiting documents: what {@code bulk.max.size.mb} counts. */
    long documentBytes() {
        return documentBytes;
    }

    /** When the longest-waiting action (or the one it was coalesced into) was added. */
    long oldestMillis() {
        return oldestMillis;
    }

    /** When the newest change waiting happened at its source (epoch ms); 0 when no waiting change tells. */
    long newestEventTime() {
        return newestEventTime;
    }

    /** The waiting actions as one bulk, leaving none here. */
    Bulk drain() {
        Bulk bulk = new Bulk(new ArrayList<>(actions.values()), Arrays.copyOf(coalescedEventTimes, coalesced));
        actions.clear();
        documentBytes = 0;
        newestEventTime = 0;
        coalesced = 0;
        return bulk;
    }

    private void noteCoalesced(DocumentAction dropped) {
        if (coalesced == coalescedEventTimes.length) {
            coalescedEventTimes = Arrays.copyOf(coalescedEventTimes, coalesced * 2);
        }
        coalescedEventTimes[coalesced++] = ChangeLatency.eventTimeOf(dropped);
    }

    private static long bytes(DocumentAction action) {
        return action.getDocumentUtf8() == null ? 0 : action.getDocumentUtf8().length;
    }

    /** The actions of one bulk request, in the order they are sent, and the times of the changes folded into them. */
    static final class Bulk {
        final List<DocumentAction> actions;
        final long[] coalescedEventTimes;

        Bulk(List<DocumentAction> actions, long[] coalescedEventTimes) {
            this.actions = actions;
            this.coalescedEventTimes = coalescedEventTimes;
        }
    }
}
