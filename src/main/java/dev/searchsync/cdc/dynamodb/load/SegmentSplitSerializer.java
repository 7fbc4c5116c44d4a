package dev.searchsync.cdc.dynamodb.load;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** Writes a {@link SegmentSplit} into checkpoints. */
public final class SegmentSplitSerializer implements SimpleVersionedSerializer<SegmentSplit> {
    static final SegmentSplitSerializer INSTANCE = new SegmentSplitSerializer();
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(SegmentSplit split) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(split, out);
        }
        return bytes.toByteArray();
    }

    @Override
    public SegmentSplit deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("Unknown load segment split version " + version + " (this build writes "
                    + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            return read(in);
        }
    }

    static void write(SegmentSplit split, DataOutputStream out) throws IOException {
        out.writeInt(split.segment());
        out.writeInt(split.totalSegments());
        out.writeLong(split.loadVersion());
        out.writeLong(split.itemsRead());
        out.writeBoolean(split.startAfterKey() != null);
        if (split.startAfterKey() != null) {
            // A key is at most 2 KB + 1 KB of attribute values: writeUTF's 64 KB is ample.
            out.writeUTF(split.startAfterKey());
        }
    }

    static SegmentSplit read(DataInputStream in) throws IOException {
        int segment = in.readInt();
        int total = in.readInt();
        long loadVersion = in.readLong();
        long itemsRead = in.readLong();
        String key = in.readBoolean() ? in.readUTF() : null;
        return new SegmentSplit(segment, total, loadVersion, key, itemsRead);
    }
}
