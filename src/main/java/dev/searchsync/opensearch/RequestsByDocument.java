package dev.searchsync.opensearch;

import org.opensearch.action.DocWriteRequest;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Finds the request behind a bulk response item by (index, id), because after a retry of 429s the items are no
 * longer in request order and pairing by position names the wrong document.
 */
final class RequestsByDocument {
    private final Map<String, Deque<DocWriteRequest<?>>> byKey = new HashMap<>();
    private final Map<String, Deque<DocWriteRequest<?>>> byId = new HashMap<>();

    RequestsByDocument(List<DocWriteRequest<?>> requests) {
        for (DocWriteRequest<?> request : requests) {
            byKey.computeIfAbsent(key(request.index(), request.id()), k -> new ArrayDeque<>()).add(request);
            byId.computeIfAbsent(request.id(), k -> new ArrayDeque<>()).add(request);
        }
    }

    /**
     * The first request not taken yet for this document, preferring one of the same operation (a bulk can hold
     * several actions for one document); when the index does not match (the request named an alias and the item
     * the concrete index), the id alone. Null when nothing matches.
     */
    DocWriteRequest<?> take(String index, String id, DocWriteRequest.OpType opType) {
        DocWriteRequest<?> found = takeFrom(byKey.get(key(index, id)), opType);
        if (found == null) {
            found = takeFrom(byId.get(id), opType);
        }
        if (found != null) {
            byKey.get(key(found.index(), found.id())).remove(found);
            byId.get(found.id()).remove(found);
        }
        return found;
    }

    private static DocWriteRequest<?> takeFrom(Deque<DocWriteRequest<?>> candidates, DocWriteRequest.OpType opType) {
        if (candidates == null || candidates.isEmpty()) {
            return null;
        }
        for (Iterator<DocWriteRequest<?>> it = candidates.iterator(); it.hasNext(); ) {
            DocWriteRequest<?> candidate = it.next();
            if (candidate.opType() == opType) {
                return candidate;
            }
        }
        return candidates.peekFirst();
    }

    private static String key(String index, String id) {
        return index + '\u0000' + id;
    }
}
