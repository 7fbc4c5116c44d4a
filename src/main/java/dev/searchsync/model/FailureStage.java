package dev.searchsync.model;

/** Where in the pipeline a change could not go further. */
public enum FailureStage {
    /** The stream record could not be read into a change. */
    DECODE,
    /** The item could not be turned into a document. */
    CONVERT,
    /** The document breaks a configured limit OpenSearch would reject. */
    VALIDATE,
    /** OpenSearch rejected the write. */
    INDEX,
    /** A line of the redrive folder could not be read as a dead letter to send back. */
    REDRIVE
}
