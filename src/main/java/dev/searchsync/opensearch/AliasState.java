package dev.searchsync.opensearch;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What an alias points to, read from {@code GET _alias/<alias>}, and which index takes what is written through it. */
final class AliasState {
    private final List<String> indices = new ArrayList<>();
    private final List<String> markedWrite = new ArrayList<>();
    private final List<String> markedNotWrite = new ArrayList<>();

    private AliasState() {}

    /** From OpenSearch's answer: {@code {"<index>": {"aliases": {"<alias>": {"is_write_index": ...}}}, ...}}. */
    static AliasState of(String alias, JsonNode answer) {
        AliasState state = new AliasState();
        for (Iterator<Map.Entry<String, JsonNode>> it = answer.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> index = it.next();
            JsonNode flag = index.getValue().path("aliases").path(alias).path("is_write_index");
            state.indices.add(index.getKey());
            if (flag.isBoolean()) {
                (flag.asBoolean() ? state.markedWrite : state.markedNotWrite).add(index.getKey());
            }
        }
        state.indices.sort(null);
        return state;
    }

    /** Every index the alias points to, sorted. */
    List<String> indices() {
        return indices;
    }

    /**
     * The index that takes writes: the one marked {@code is_write_index: true}, else the only index unless it is
     * marked false (OpenSearch's own rule); empty when writes through the alias would be refused.
     */
    Optional<String> writeIndex() {
        if (markedWrite.size() == 1) {
            return Optional.of(markedWrite.get(0));
        }
        if (markedWrite.isEmpty() && indices.size() == 1 && markedNotWrite.isEmpty()) {
            return Optional.of(indices.get(0));
        }
        return Optional.empty();
    }

    /** True when the write index is marked as such, so that an index added to the alias later cannot take over. */
    boolean writeIndexMarked() {
        return markedWrite.size() == 1;
    }
}
