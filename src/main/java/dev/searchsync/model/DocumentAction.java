package dev.searchsync.model;

import java.util.Objects;

/**
 * What one event means for the index: {@link Op#INDEX} or {@link Op#CREATE} {@link #getDocument()} under
 * {@link #getId()}, or {@link Op#DELETE} it, at {@link #getVersion()}; with its {@link Origin}. It is what crosses
 * the {@code keyBy} and waits in the sink's buffers, so it holds the document and nothing else of the record it
 * came from.
 */
public class DocumentAction {
    private String index;
    private String id;
    private Op op;
    private String document;
    private long version;
    private Origin origin;

    public DocumentAction() {}

    /** Write {@code document} under {@code id}, replacing older versions. */
    public static DocumentAction index(String index, String id, String document, Origin origin) {
        return of(index, id, Op.INDEX, Objects.requireNonNull(document, "document"), origin);
    }

    /** Remove the document {@code id}. */
    public static DocumentAction delete(String index, String id, Origin origin) {
        return of(index, id, Op.DELETE, null, origin);
    }

    /** Write {@code document} under {@code id} unless a document with that id exists. */
    public static DocumentAction create(String index, String id, String document, Origin origin) {
        return of(index, id, Op.CREATE, Objects.requireNonNull(document, "document"), origin);
    }

    private static DocumentAction of(String index, String id, Op op, String document, Origin origin) {
        DocumentAction out = new DocumentAction();
        out.index = Objects.requireNonNull(index, "index");
        out.id = Objects.requireNonNull(id, "id");
        out.op = op;
        out.document = document;
        out.origin = origin;
        return out;
    }

    /** A copy with external version {@code version}: the element a function received stays as it was. */
    public DocumentAction withVersion(long version) {
        DocumentAction out = of(index, id, op, document, origin);
        out.version = version;
        return out;
    }

    /** A copy whose origin is marked as redriven after {@code attempt} failed attempts. */
    public DocumentAction redriven(int attempt) {
        DocumentAction out = of(index, id, op, document, origin == null ? null : origin.redriven(attempt));
        out.version = version;
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

    /** The JSON document to write; null for a delete. */
    public String getDocument() {
        return document;
    }

    public void setDocument(String document) {
        this.document = document;
    }

    /** The external version assigned by the ordering step; 0 before it, and always 0 for {@link Op#CREATE}. */
    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
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
        return version == that.version && op == that.op && Objects.equals(index, that.index)
                && Objects.equals(id, that.id) && Objects.equals(document, that.document)
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
