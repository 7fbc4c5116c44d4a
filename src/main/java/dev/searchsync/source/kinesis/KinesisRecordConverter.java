package dev.searchsync.source.kinesis;

import dev.searchsync.source.ShardRecordConverter;
import dev.searchsync.source.split.ShardSplit;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import software.amazon.awssdk.services.kinesis.model.Record;

/** Turns an SDK Kinesis record into the source's {@link KinesisRecord}, leaving the payload undecoded. */
public final class KinesisRecordConverter implements ShardRecordConverter<Record, KinesisRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public KinesisRecord convert(Record record, ShardSplit split) {
        KinesisRecord out = new KinesisRecord();
        out.setStream(split.streamId());
        out.setShardId(split.shardId());
        out.setParentShardId(split.parentShardId());
        out.setAdjacentParentShardId(split.adjacentParentShardId());
        out.setSequenceNumber(record.sequenceNumber());
        out.setPartitionKey(record.partitionKey());
        out.setApproximateArrivalMillis(record.approximateArrivalTimestamp() == null
                ? 0
                : record.approximateArrivalTimestamp().toEpochMilli());
        // The one copy: the SDK's buffer may be shared, the emitted record must own its bytes.
        out.setData(record.data() == null ? new byte[0] : record.data().asByteArray());
        return out;
    }

    @Override
    public TypeInformation<KinesisRecord> producedType() {
        return TypeInformation.of(KinesisRecord.class);
    }
}
