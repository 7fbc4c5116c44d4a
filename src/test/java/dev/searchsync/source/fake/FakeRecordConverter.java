package dev.searchsync.source.fake;

import dev.searchsync.source.ShardRecordConverter;
import dev.searchsync.source.split.ShardSplit;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/** Turns a {@link FakeRecord} into "key=value", so tests can assert on plain strings. */
public final class FakeRecordConverter implements ShardRecordConverter<FakeRecord, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String convert(FakeRecord record, ShardSplit split) {
        return record.key() + "=" + record.value();
    }

    @Override
    public TypeInformation<String> producedType() {
        return Types.STRING;
    }
}
