package dev.searchsync.document;

import dev.searchsync.change.ChangeRecord;

import java.util.Objects;

/**
 * What one change means for the index: write {@link #getDocument()} under {@link #getDocumentId()}, or delete it,
 * at {@link #getVersion()}. Carries the original change so a failure further on can still be replayed.
 */
public class DocumentChange {
    private String index;
    private String documentId;
    private boolean delete;
    private String document;
    private long version;
    private ChangeRecord change;

    public DocumentChange() {}

    public static DocumentChange write(String index, String documentId, String document, ChangeRecord change) {
        DocumentChange out = new DocumentChange();
        out.index = index;
        out.documentId = documentId;
        out.document = document;
        out.change = change;
        return out;
    }

    public static DocumentChange delete(String index, String documentId, ChangeRecord change) {
        DocumentChange out = new DocumentChange();
        out.index = index;
        out.documentId = documentId;
        out.delete = true;
        out.change = change;
        return out;
    }

    public String getIndex() {
        return index;
    }

    public void setIndex(String index) {
        this.index = index;
    }

    /** The OpenSearch _id: the table key, encoded as docs/architecture.md describes. */
    public String getDocumentId() {
        return documentId;
    }

    public void setDocumentId(String documentId) {
        this.documentId = documentId;
    }

    public boolean isDelete() {
        return delete;
    }

    public void setDelete(boolean delete) {
        this.delete = delete;
    }

    /** The JSON document to index; null for a delete. */
    public String getDocument() {
        return document;
    }

    public void setDocument(String document) {
        this.document = document;
    }

    /** The external version assigned by the ordering step; 0 before it. */
    public long getVersion() {
        return version;
    }

    public void setVersion(long version) {
        this.version = version;
    }

    public ChangeRecord getChange() {
        return change;
    }

    public void setChange(ChangeRecord change) {
        this.change = change;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof DocumentChange)) {
            return false;
        }
        DocumentChange that = (DocumentChange) o;
        return delete == that.delete && version == that.version && Objects.equals(index, that.index)
                && Objects.equals(documentId, that.documentId) && Objects.equals(document, that.document)
                && Objects.equals(change, that.change);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, documentId, delete, version);
    }

    @Override
    public String toString() {
        return (delete ? "delete " : "index ") + index + "/" + documentId + " v" + version;
    }
}
