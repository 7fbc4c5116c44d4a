package dev.searchsync.logs.cloudwatch;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Decides which JSON messages may become fields under {@code @json}, so that no log stream can push an index past its
 * field limit or into a mapping conflict in the common case, without any coordination between instances.
 *
 * <p>Each parallel instance admits at most {@code budget / parallelism} distinct {@code @json} paths per index, and
 * only through its own records: the union of all instances' admissions is at most
 * {@code parallelism * (budget / parallelism) <= budget} paths per index, whatever each instance sees. Within an
 * instance, a path keeps the kind it was admitted with (object, string, number, boolean), so its own documents never
 * disagree. Across instances the leaf kinds may differ (one admits {@code @json.code} as a number, another as a
 * string); the index template maps every leaf under {@code @json} as a keyword, so both index.
 *
 * <p>What admissions alone cannot rule out: one instance admitting a path as an object and another as a leaf (the
 * two kinds in one log group's messages on different shards), and an index past its field limit, since admissions
 * are not checkpointed and each instance starts with an empty share after a restart or a rescale. OpenSearch then
 * refuses the document, and the sink indexes it again without its {@code @json} ({@link LogDocument#reduce}): the
 * event is never lost, only its parsed fields, and the sink counts it ({@code documentsReduced}).
 */
final class FieldBudget {
    /** OpenSearch's {@code index.mapping.depth.limit} is 20 by default; {@code @json} itself is one level. */
    static final int MAX_DEPTH = 18;
    /** Indices whose admissions are remembered; older ones (past days, usually) take no new JSON fields. */
    static final int MAX_INDICES = 64;

    /** The verdict on one message. */
    enum Verdict { PARSED, OVER_BUDGET, CONFLICTING }

    private final int share;
    private final Map<String, Map<String, JsonMessage.Kind>> admitted = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, JsonMessage.Kind>> eldest) {
            if (size() <= MAX_INDICES) {
                return false;
            }
            // Forgetting its paths and starting afresh would let the index take a second share: it takes none.
            retired.add(eldest.getKey());
            return true;
        }
    };
    private final Set<String> retired = new HashSet<>();

    /** @param share the paths this instance may admit per index: the budget divided by the parallelism */
    FieldBudget(int share) {
        if (share < 0) {
            throw new IllegalArgumentException("share must not be negative, was " + share);
        }
        this.share = share;
    }

    /** For a job's {@code budget} over {@code parallelism} instances. */
    static FieldBudget shareOf(int budget, int parallelism) {
        return new FieldBudget(budget / Math.max(1, parallelism));
    }

    int share() {
        return share;
    }

    /** Whether {@code message} may be written under {@code @json} in {@code index}; if so, its paths are admitted. */
    Verdict admit(String index, JsonMessage message) {
        if (message.conflicting()) {
            return Verdict.CONFLICTING;
        }
        Map<String, JsonMessage.Kind> known = admitted.get(index);
        if (known == null) {
            known = new HashMap<>();
        }
        int added = 0;
        for (Map.Entry<String, JsonMessage.Kind> path : message.paths().entrySet()) {
            JsonMessage.Kind kind = known.get(path.getKey());
            if (kind == null) {
                added++;
            } else if (kind != path.getValue()) {
                return Verdict.CONFLICTING;
            }
        }
        if (message.depth() > MAX_DEPTH || (added > 0 && (retired.contains(index) || known.size() + added > share))) {
            return Verdict.OVER_BUDGET;
        }
        if (added > 0) {
            known.putAll(message.paths());
            admitted.putIfAbsent(index, known);
        }
        return Verdict.PARSED;
    }

    @Override
    public String toString() {
        return "FieldBudget{share=" + share + ", indices=" + admitted.size() + '}';
    }
}
