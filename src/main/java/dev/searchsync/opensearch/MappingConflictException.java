package dev.searchsync.opensearch;

import java.util.List;

/** Stops the job when an existing index disagrees with its mapping file, since searchsync never remaps an index. */
public final class MappingConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String index;
    private final List<String> disagreements;

    MappingConflictException(String index, List<String> disagreements) {
        super(render(index, disagreements));
        this.index = index;
        this.disagreements = List.copyOf(disagreements);
    }

    public String index() {
        return index;
    }

    /** One line per field, e.g. {@code field 'price': index has 'text', mapping file has 'double'}. */
    public List<String> disagreements() {
        return disagreements;
    }

    private static String render(String index, List<String> disagreements) {
        StringBuilder text = new StringBuilder("Index '").append(index)
                .append("' exists with a mapping that disagrees with its mapping file:");
        for (String disagreement : disagreements) {
            text.append("\n  - ").append(disagreement);
        }
        return text.append("\nsearchsync never changes the mapping of an existing index. To fix it, reindex into a"
                + " new index created from the mapping file outside searchsync (then point an alias at it), or"
                + " configure a new index name so that searchsync creates it.").toString();
    }
}
