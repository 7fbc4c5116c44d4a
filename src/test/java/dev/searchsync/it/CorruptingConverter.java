package dev.searchsync.it;

import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.DynamoDbChangeConverter;
import dev.searchsync.source.ShardRecordConverter;
import dev.searchsync.source.split.ShardSplit;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;

/**
 * The production converter, except that records of items whose sort key starts with {@code decode-} arrive with an
 * event name no DynamoDB version sends: a stream record the source cannot read, injected into a real stream.
 */
public class CorruptingConverter implements ShardRecordConverter<Record, ChangeRecord> {
    private static final long serialVersionUID = 1L;

    private final DynamoDbChangeConverter real = new DynamoDbChangeConverter();

    @Override
    public ChangeRecord convert(Record record, ShardSplit split) {
        AttributeValue sortKey = record.dynamodb().keys().get(TypedWorkload.RANGE_KEY);
        if (sortKey != null && sortKey.s() != null && sortKey.s().startsWith("decode-")) {
            return real.convert(record.toBuilder().eventName("TRUNCATE").build(), split);
        }
        return real.convert(record, split);
    }

    @Override
    public TypeInformation<ChangeRecord> producedType() {
        return real.producedType();
    }
}
