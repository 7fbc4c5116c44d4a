package dev.searchsync.source.reader;

import dev.searchsync.source.split.ShardSplitState;

import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.connector.base.source.reader.RecordEmitter;

/** Emits a record and moves the split's checkpoint position past it in the same step, on the task thread. */
public final class ShardRecordEmitter<T> implements RecordEmitter<FetchedRecord<T>, T, ShardSplitState> {
    @Override
    public void emitRecord(FetchedRecord<T> record, SourceOutput<T> output, ShardSplitState state) {
        output.collect(record.value(), record.timestamp());
        state.recordEmitted(record.sequenceNumber());
    }
}
