package dev.searchsync.cdc.dynamodb;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;

/**
 * How a {@link ChangeRecord} crosses an operator edge: its fields in a fixed order, keys and images as DynamoDB
 * JSON text. A chained operator gets a {@link ChangeRecord#copy() copy} that shares the images, so a change that
 * stays in its task is never written as text at all. No operator keeps a ChangeRecord in its state, so this format
 * is never in a savepoint.
 */
public final class ChangeRecordSerializer extends TypeSerializerSingleton<ChangeRecord> {
    private static final long serialVersionUID = 1L;
    private static final ChangeType[] TYPES = ChangeType.values();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public ChangeRecord createInstance() {
        return new ChangeRecord();
    }

    @Override
    public ChangeRecord copy(ChangeRecord from) {
        return from.copy();
    }

    @Override
    public ChangeRecord copy(ChangeRecord from, ChangeRecord reuse) {
        return from.copy();
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(ChangeRecord record, DataOutputView out) throws IOException {
        StringValue.writeString(record.getTableName(), out);
        StringValue.writeString(record.getEventId(), out);
        out.writeByte(record.getEventName() == null ? -1 : record.getEventName().ordinal());
        StringValue.writeString(record.getKeys(), out);
        StringValue.writeString(record.getNewImage(), out);
        StringValue.writeString(record.getOldImage(), out);
        StringValue.writeString(record.getSequenceNumber(), out);
        out.writeLong(record.getApproximateCreationTime());
        StringValue.writeString(record.getShardId(), out);
        StringValue.writeString(record.getParentShardId(), out);
        out.writeBoolean(record.isTtlDelete());
        StringValue.writeString(record.getDecodeError(), out);
        out.writeInt(record.getRedriveAttempt());
        out.writeLong(record.getLoadVersion());
    }

    @Override
    public ChangeRecord deserialize(DataInputView in) throws IOException {
        ChangeRecord record = new ChangeRecord();
        record.setTableName(StringValue.readString(in));
        record.setEventId(StringValue.readString(in));
        byte type = in.readByte();
        record.setEventName(type < 0 ? null : TYPES[type]);
        record.setKeys(StringValue.readString(in));
        record.setNewImage(StringValue.readString(in));
        record.setOldImage(StringValue.readString(in));
        record.setSequenceNumber(StringValue.readString(in));
        record.setApproximateCreationTime(in.readLong());
        record.setShardId(StringValue.readString(in));
        record.setParentShardId(StringValue.readString(in));
        record.setTtlDelete(in.readBoolean());
        record.setDecodeError(StringValue.readString(in));
        record.setRedriveAttempt(in.readInt());
        record.setLoadVersion(in.readLong());
        return record;
    }

    @Override
    public ChangeRecord deserialize(ChangeRecord reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<ChangeRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Flink asks every serializer for one; it names this serializer, which has no settings. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<ChangeRecord> {
        public Snapshot() {
            super(ChangeRecordSerializer::new);
        }
    }
}
