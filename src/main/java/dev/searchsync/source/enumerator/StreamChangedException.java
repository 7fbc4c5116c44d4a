package dev.searchsync.source.enumerator;

/**
 * The stream the configuration names now is not the one the restored checkpoint was reading, and
 * {@code source/stream.change.policy} says to stop; the message names both and the choices.
 */
final class StreamChangedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StreamChangedException(String restored, String configured) {
        super("The snapshot this job restored was reading the stream " + restored + ", but the configuration now"
                + " names the stream " + configured + " (source/stream.arn, or the latest stream of"
                + " source/table.name). The table was deleted and created again, or its stream disabled and enabled"
                + " again: the old stream gets no new changes, so reading on from the snapshot would read nothing."
                + " The job stops instead. Choose one: (1) set source/stream.change.policy=RESTART_FROM_TRIM_HORIZON"
                + " to keep the job's state and read " + configured + " from its oldest record; changes made while"
                + " no stream recorded them are in neither stream, so documents of items deleted meanwhile stay in"
                + " the index (docs/operations.md, \"When the stream is replaced\"); (2) configure " + restored
                + " again if the change was a mistake; (3) start the job without its snapshot.");
    }
}
