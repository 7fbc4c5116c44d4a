package dev.searchsync.cdc.dynamodb.load;

import org.apache.flink.core.io.SimpleVersionedSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Writes a {@link LoadState} into checkpoints. */
final class LoadStateSerializer implements SimpleVersionedSerializer<LoadState> {
    private static final int VERSION = 1;

    @Override
    public int getVersion() {
        return VERSION;
    }

    @Override
    public byte[] serialize(LoadState state) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeLong(state.startedAtMillis);
            out.writeLong(state.loadVersion);
            out.writeInt(state.totalSegments);
            out.writeInt(state.unassigned.size());
            for (SegmentSplit split : state.unassigned) {
                SegmentSplitSerializer.write(split, out);
            }
            out.writeInt(state.finished.size());
            for (Map.Entry<Integer, Long> segment : state.finished.entrySet()) {
                out.writeInt(segment.getKey());
                out.writeLong(segment.getValue());
            }
        }
        return bytes.toByteArray();
    }

    @Override
    public LoadState deserialize(int version, byte[] serialized) throws IOException {
        if (version != VERSION) {
            throw new IOException("Unknown load state version " + version + " (this build writes " + VERSION + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(serialized))) {
            long started = in.readLong();
            long loadVersion = in.readLong();
            int total = in.readInt();
            List<SegmentSplit> unassigned = new ArrayList<>();
            for (int i = in.readInt(); i > 0; i--) {
                unassigned.add(SegmentSplitSerializer.read(in));
            }
            Map<Integer, Long> finished = new TreeMap<>();
            for (int i = in.readInt(); i > 0; i--) {
                finished.put(in.readInt(), in.readLong());
            }
            return new LoadState(started, loadVersion, total, unassigned, finished);
        }
    }
}
