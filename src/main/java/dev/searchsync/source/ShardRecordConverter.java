package dev.searchsync.source;

import dev.searchsync.source.split.ShardSplit;

import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.io.Serializable;

/** Turns a service record into what the source emits; runs on the reader's fetch thread. */
public interface ShardRecordConverter<R, T> extends Serializable {
    T convert(R record, ShardSplit split);

    TypeInformation<T> producedType();
}
