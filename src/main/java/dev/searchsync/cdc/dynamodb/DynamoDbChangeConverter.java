package dev.searchsync.cdc.dynamodb;

import dev.searchsync.aws.StreamArn;
import dev.searchsync.source.ShardRecordConverter;
import dev.searchsync.source.split.ShardSplit;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

/** Turns a DynamoDB Streams record into the job's {@link ChangeRecord}. */
public final class DynamoDbChangeConverter implements ShardRecordConverter<Record, ChangeRecord> {
    private static final long serialVersionUID = 1L;
    /** The principal DynamoDB's time-to-live process writes its deletes as. */
    static final String TTL_PRINCIPAL = "dynamodb.amazonaws.com";

    /**
     * The last stream's ARN and its table, as one pair so a reader on another thread never sees half of it: every
     * record of a split names the same stream, and parsing its ARN cost a fifth of the fetcher's time.
     */
    private transient String[] lastTable;

    /**
     * Never throws: a record that cannot be read still comes out, with its identity, whatever parts could be read
     * and {@link ChangeRecord#getDecodeError()} set, so it becomes a dead letter and the shard goes on.
     */
    @Override
    public ChangeRecord convert(Record record, ShardSplit split) {
        ChangeRecord out = new ChangeRecord();
        out.setTableName(tableNameOf(split.streamId()));
        out.setShardId(split.shardId());
        out.setParentShardId(split.parentShardId());
        out.setEventId(record.eventID());
        StreamRecord change = record.dynamodb();
        try {
            out.setSequenceNumber(change.sequenceNumber());
            out.setApproximateCreationTime(change.approximateCreationDateTime() == null
                    ? 0
                    : change.approximateCreationDateTime().toEpochMilli());
            // The SDK's maps as they are: the mapper builds the document from them, and only a dead letter writes
            // them out as text.
            out.setKeyItem(change.keys());
            out.setNewItem(change.hasNewImage() ? change.newImage() : null);
            out.setOldItem(change.hasOldImage() ? change.oldImage() : null);
            Identity identity = record.userIdentity();
            out.setTtlDelete(identity != null && TTL_PRINCIPAL.equals(identity.principalId()));
            out.setEventName(ChangeType.valueOf(record.eventNameAsString()));
        } catch (RuntimeException e) {
            out.setDecodeError(e + "; record: " + record);
        }
        return out;
    }

    private String tableNameOf(String stream) {
        String[] last = lastTable;
        if (last == null || !last[0].equals(stream)) {
            last = new String[] {stream, StreamArn.tableNameOf(stream)};
            lastTable = last;
        }
        return last[1];
    }

    @Override
    public TypeInformation<ChangeRecord> producedType() {
        return TypeInformation.of(ChangeRecord.class);
    }
}
