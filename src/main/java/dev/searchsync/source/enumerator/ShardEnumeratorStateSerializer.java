package dev.searchsync.source.enumerator;

import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.ShardSplitSerializer;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Writes the enumerator's state into checkpoints, reusing the split format for each shard. */
public final class ShardEnumeratorStateSerializer implements SimpleVersionedSerializer<ShardEnumeratorState> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(ShardEnumeratorState state) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeBoolean(state.streamId() != null);
        if (state.streamId() != null) {
            out.writeUTF(state.streamId());
        }
        out.writeInt(ShardSplitSerializer.INSTANCE.getVersion());
        out.writeInt(state.shards().size());
        for (TrackedShard shard : state.shards()) {
            byte[] split = ShardSplitSerializer.INSTANCE.serialize(shard.split());
            out.writeInt(split.length);
            out.write(split);
            out.writeByte(shard.status().code());
            out.writeInt(shard.subtask());
        }
        return out.getCopyOfBuffer();
    }

    @Override
    public ShardEnumeratorState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("Unknown enumerator state version " + version + " (this build reads " + VERSION + ")");
        }
        DataInputDeserializer in = new DataInputDeserializer(serialized);
        String streamId = in.readBoolean() ? in.readUTF() : null;
        int splitVersion = in.readInt();
        int count = in.readInt();
        List<TrackedShard> shards = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] splitBytes = new byte[in.readInt()];
            in.readFully(splitBytes);
            ShardSplit split = ShardSplitSerializer.INSTANCE.deserialize(splitVersion, splitBytes);
            shards.add(new TrackedShard(split, status(in.readByte(), split), in.readInt()));
        }
        return new ShardEnumeratorState(streamId, shards);
    }

    private static ShardStatus status(int code, ShardSplit split) throws IOException {
        try {
            return ShardStatus.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw new IOException("Cannot read the enumerator's record of shard " + split.shardId() + " of "
                    + split.streamId() + ": " + e.getMessage(), e);
        }
    }
}
