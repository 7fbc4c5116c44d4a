package dev.searchsync.model;

import java.io.Serializable;
import java.util.Optional;

/**
 * The smaller document an input can live with when OpenSearch refuses one for its content: a log event without the
 * JSON parsed out of its message, say, which the message itself still holds. With it, content that one index cannot
 * take (a field that is an object in one event and a value in another, a full field limit) costs a document its
 * extra fields, not its place in the index.
 */
@FunctionalInterface
public interface DocumentReduction extends Serializable {
    /** No smaller form: a refused document becomes a dead letter as it is. */
    DocumentReduction NONE = refused -> Optional.empty();

    /**
     * A smaller form of {@code refused} (same index, id, operation and version, fewer fields), or empty when nothing
     * is left to drop. Applied again to its own result when that is refused too, so each call must drop something.
     */
    Optional<DocumentAction> reduce(DocumentAction refused);
}
