package dev.searchsync.source.split;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** Writes splits into checkpoints; versioned so that a later format can still read today's savepoints. */
public final class ShardSplitSerializer implements SimpleVersionedSerializer<ShardSplit> {
    public static final ShardSplitSerializer INSTANCE = new ShardSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ShardSplit split) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(128);
        write(split, out);
        return out.getCopyOfBuffer();
    }

    @Override
    public ShardSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("Unknown ShardSplit serializer version " + version + " (this build reads " + VERSION
                    + ")");
        }
        return read(new DataInputDeserializer(serialized));
    }

    static void write(ShardSplit split, DataOutputView out) throws IOException {
        out.writeUTF(split.streamId());
        out.writeUTF(split.shardId());
        writeNullable(split.parentShardId(), out);
        writeNullable(split.adjacentParentShardId(), out);
        out.writeByte(split.startingPosition().type().code());
        writeNullable(split.startingPosition().sequenceNumber(), out);
        out.writeLong(split.startingPosition().timestamp());
        out.writeBoolean(split.isFinished());
    }

    static ShardSplit read(DataInputView in) throws IOException {
        String streamId = in.readUTF();
        String shardId = in.readUTF();
        String parent = readNullable(in);
        String adjacentParent = readNullable(in);
        StartingPosition.Type type;
        try {
            type = StartingPosition.Type.fromCode(in.readByte());
        } catch (IllegalArgumentException e) {
            throw new IOException("Cannot read the split of shard " + shardId + " of " + streamId + ": "
                    + e.getMessage(), e);
        }
        String sequenceNumber = readNullable(in);
        long timestamp = in.readLong();
        boolean finished = in.readBoolean();
        return new ShardSplit(streamId, shardId, parent, adjacentParent,
                StartingPosition.of(type, sequenceNumber, timestamp), finished);
    }

    private static void writeNullable(String value, DataOutputView out) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
