package dev.searchsync.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What one event means for the index: {@link Op#INDEX} or {@link Op#CREATE} {@link #getDocumentUtf8() the document}
 * under {@link #getId()}, or {@link Op#DELETE} it, at {@link #getVersion()}; with its {@link Origin}. It is what
 * crosses the {@code keyBy} and waits in the sink's buffers, so it holds the document, once, as the UTF-8 bytes the
 * input built, and nothing else of the record it came from.
 */
public class DocumentAction {
    /** {@link #getFieldPaths()} of a document nobody counted while building it. */
    public static final int UNCOUNTED = -1;

    private String index;
    private String id;
    private Op op;
    private byte[] documentUtf8;
    private long version;
    private long eventVersion;
    private Origin origin;
    // Only validation, in the step that builds the action, reads it: transient, so it never crosses an edge.
    private transient int fieldPaths = UNCOUNTED;

    public DocumentAction() {}

    /** Write {@code document} under {@code id}, replacing older versions. */
    public static DocumentAction index(String index, String id, String document, Origin origin) {
        return index(index, id, utf8(document), UNCOUNTED, origin);
    }

    /**
     * Write the UTF-8 JSON {@code documentUtf8}, which has {@code fieldPaths} distinct field paths (or
     * {@link #UNCOUNTED}), under {@code id}, replacing older versions. The array is kept, not copied.
     */
    public static DocumentAction index(String index, String id, byte[] documentUtf8, int fieldPaths, Origin origin) {
        return of(index, id, Op.INDEX, Objects.requireNonNull(documentUtf8, "document"), fieldPaths, origin);
    }

    /** Remove the document {@code id}. */
    public static DocumentAction delete(String index, String id, Origin origin) {
        return of(index, id, Op.DELETE, null, UNCOUNTED, origin);
    }

    /** Write {@code document} under {@code id} unless a document with that id exists. */
    public static DocumentAction create(String index, String id, String document, Origin origin) {
        return create(index, id, utf8(document), UNCOUNTED, origin);
    }

    /** Like {@link #index(String, String, byte[], int, Origin)}, unless a document with that id exists. */
    public static DocumentAction create(String index, String id, byte[] documentUtf8, int fieldPaths, Origin origin) {
        return of(index, id, Op.CREATE, Objects.requireNonNull(documentUtf8, "document"), fieldPaths, origin);
    }

    private static DocumentAction of(String index, String id, Op op, byte[] documentUtf8, int fieldPaths,
            Origin origin) {
        DocumentAction out = new DocumentAction();
        out.index = Objects.requireNonNull(index, "index");
        out.id = Objects.requireNonNull(id, "id");
        out.op = op;
        out.documentUtf8 = documentUtf8;
        out.fieldPaths = fieldPaths;
        out.origin = origin;
        return out;
    }

    private static byte[] utf8(String document) {
        return Objects.requireNonNull(document, "document").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A copy with external version {@code version}: the element a function received stays as it was. The copy
     * shares the document's bytes, which nobody changes.
     */
    public DocumentAction withVersion(long version) {
        DocumentAction out = of(index, id, op, documentUtf8, fieldPaths, origin);
        out.version = version;
        out.eventVersion = eventVersion;
        return out;
    }

    /**
     * A copy with {@code documentUtf8} (uncounted) in place of its document: same index, id, operation, versions and
     * origin. For a document reduced after OpenSearch refused it.
     */
    public DocumentAction withDocument(byte[] documentUtf8) {
        if (op == Op.DELETE) {
            throw new IllegalStateException("a delete of index '" + index + "', id '" + id + "' has no document");
        }
        DocumentAction out = of(index, id, op, Objects.requireNonNull(documentUtf8, "document"), UNCOUNTED, origin);
        out.version = version;
        out.eventVersion = eventVersion;
        return out;
    }

    /** A copy whose origin is marked as redriven after {@code attempt} failed attempts. */
    public DocumentAction redriven(int attempt) {
        DocumentAction out = of(index, id, op, documentUtf8, fieldPaths,
                origin == null ? null : origin.redriven(attempt));
        out.version = version;
        out.eventVersion = eventVersion;
        return out;
    }

    /** The index (or alias) the action is for. */
    public String getIndex() {
        return index;
    }

    public void setIndex(String index) {
        this.index = index;
    }

    /** The OpenSearch {@code _id}. */
    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public Op getOp() {
        return op;
    }

    public void setOp(Op op) {
        this.op = op;
    }

    public boolean isDelete() {
        return op == Op.DELETE;
    }

    /** The JSON document to write, as UTF-8 bytes exactly as the input built it; null for a delete. */
    public byte[] getDocumentUtf8() {
        return documentUtf8;
    }

    public void setDocumentUtf8(byte[] documentUtf8) {
        this.documentUtf8 = documentUtf8;
    }

    /**
     * The document as text, decoded anew on each call: for messages, dead letters and tests. The sink reads
     * {@link #getDocumentUtf8()}.
     */
    public String getDocument() {
        return documentUtf8 == null ? null : new String(documentUtf8, StandardCharsets.UTF_8);
    }

    /** Sets the document from text (stored as its UTF-8 bytes, uncounted). */
    public void setDocument(String document) {
        this.documentUtf8 = document == null ? null : document.getBytes(StandardCharsets.UTF_8);
        this.fieldPaths = UNCOUNTED;
    }

    /**
     * Distinct field paths in the document as a mapping would hold them, counted by the input while it built the
     * document, so validation need not parse it again; {@link #UNCOUNTED} when nobody counted them, and always after
     * the action crossed an edge between operators (the count does not travel).
     */
    public int getFieldPaths() {
        return fieldPaths;
    }

    /** The external version assigned by the ordering step; 0 before it, and always 0 for {@link Op#CREATE}. */
    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    /**
     * The version the event itself states (an input's configured version field), or 0 when it states none. The
     * ordering step then orders the document's changes by it instead of by their place in the stream, and sends it
     * as the external version, so OpenSearch refuses an older change even when the job's state was lost.
     */
    public long getEventVersion() {
        return eventVersion;
    }

    public void setEventVersion(long eventVersion) {
        this.eventVersion = eventVersion;
    }

    public Origin getOrigin() {
        return origin;
    }

    public void setOrigin(Origin origin) {
        this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DocumentAction)) {
            return false;
        }
        DocumentAction that = (DocumentAction) o;
        return version == that.version && eventVersion == that.eventVersion && op == that.op && Objects.equals(index, that.index)
                && Objects.equals(id, that.id) && Arrays.equals(documentUtf8, that.documentUtf8)
                && Objects.equals(origin, that.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, id, op, version);
    }

    @Override
    public String toString() {
        return op + " " + index + "/" + id + " v" + version;
    }
}
