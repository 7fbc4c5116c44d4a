package dev.searchsync.model;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.io.Serializable;
import java.util.List;

/**
 * What an input tells the core about its own records, so that no step after the source knows a record format: the
 * actions a record means, where it came from, how to keep it whole in a dead letter and how to get it back from
 * one. Called on the operator thread, one record at a time.
 *
 * @param <T> the record type the input's source emits
 */
public interface RecordMapper<T> extends Serializable {
    /** Called once per parallel instance before the first record (to look up a table's key schema, say). */
    default void open() throws Exception {}

    /**
     * Called once per parallel instance before the first record, with the step's context: for a mapper that needs
     * its parallelism (a share of a budget) or registers its own metrics. By default {@link #open()}.
     */
    default void open(RuntimeContext context) throws Exception {
        open();
    }

    /** The input's kind, as {@link Origin#getKind()} and the {@code source/type} option name it. */
    String kind();

    /** Where {@code record} came from. */
    Origin origin(T record);

    /**
     * {@code record} named for a log line: where it came from and what identifies it (an event id, a key), never
     * its values, which can be personal data.
     */
    default String describe(T record) {
        return origin(record).toString();
    }

    /** {@code record} whole, for a dead letter. */
    RawRecord raw(T record);

    /**
     * The actions {@code record} means, in the record's order: none, one, or many.
     *
     * @throws UndecodableRecordException when the record cannot be read at all (a DECODE failure)
     * @throws Exception when the record can be read but not mapped (a CONVERT failure); the message says why
     */
    List<DocumentAction> actions(T record) throws Exception;

    /**
     * The record a dead letter kept, to be mapped again on redrive, marked with {@code origin}'s redrive attempt.
     *
     * @throws IllegalArgumentException when {@code raw} is not a record of this kind
     */
    T restore(RawRecord raw, Origin origin);

    /**
     * What the sink may drop from this input's documents when OpenSearch refuses one for its content, before it
     * becomes a dead letter. By default nothing: a refused document is kept whole for a fix and a redrive.
     */
    default DocumentReduction reduction() {
        return DocumentReduction.NONE;
    }

    /** Flink's type of {@code T}, so records cross operators without Kryo. */
    TypeInformation<T> type();
}
