package dev.searchsync.ordering;

import dev.searchsync.model.DocumentAction;

import org.apache.flink.api.java.functions.KeySelector;

/** Keys changes by document, so each document's changes meet the same ordering state in stream order. */
public final class DocumentKey implements KeySelector<DocumentAction, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(DocumentAction action) {
        return action.getIndex() + '/' + action.getId();
    }
}
