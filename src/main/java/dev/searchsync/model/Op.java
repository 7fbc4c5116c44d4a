package dev.searchsync.model;

/** What an action asks of OpenSearch for one document. */
public enum Op {
    /** Write the document, replacing an older version (VERSIONED lane: with an external version). */
    INDEX,
    /** Remove the document (VERSIONED lane: with an external version, so a stale write cannot bring it back). */
    DELETE,
    /** Write the document only if its id is new (APPEND lane): a replay answers 409 and counts as done. */
    CREATE
}
