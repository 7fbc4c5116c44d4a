package dev.searchsync.events;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Builds Kinesis record data the way producers do (KPL aggregation per awslabs/amazon-kinesis-producer's
 * aggregation-format.md, gzip), written from the documented format rather than with the decoder's own code.
 */
public final class KplRecords {
    /** The KPL's magic number, 0xF3 0x89 0x9A 0xC2. */
    public static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};

    private KplRecords() {
    }

    /**
     * An aggregated record of one sub-record per data, each with the partition key at the same index; repeated
     * keys share one entry of the key table, as the KPL writes them.
     */
    public static byte[] aggregate(List<String> partitionKeys, List<byte[]> datas) {
        if (partitionKeys.size() != datas.size()) {
            throw new IllegalArgumentException("one partition key per data");
        }
        List<String> table = new ArrayList<>();
        long[] indexes = new long[datas.size()];
        for (int i = 0; i < datas.size(); i++) {
            int index = table.indexOf(partitionKeys.get(i));
            if (index < 0) {
                index = table.size();
                table.add(partitionKeys.get(i));
            }
            indexes[i] = index;
        }
        return frame(message(table, indexes, datas));
    }

    /** The protobuf AggregatedRecord: the key table, then one Record per data pointing at its key index. */
    public static byte[] message(List<String> partitionKeyTable, long[] keyIndexes, List<byte[]> datas) {
        return write(out -> {
            for (String key : partitionKeyTable) {
                out.writeString(1, key);
            }
            for (int i = 0; i < datas.size(); i++) {
                // An embedded message travels as a length-delimited field, like bytes.
                out.writeByteArray(3, record(keyIndexes[i], datas.get(i)));
            }
        });
    }

    /** One Record message: partition_key_index (field 1) and data (field 3). */
    public static byte[] record(long partitionKeyIndex, byte[] data) {
        return write(out -> {
            out.writeUInt64(1, partitionKeyIndex);
            out.writeByteArray(3, data);
        });
    }

    /** Magic number + message + MD5 of the message, the whole data of a Kinesis record. */
    public static byte[] frame(byte[] message) {
        return concat(MAGIC, message, md5(message));
    }

    public static byte[] md5(byte[] bytes) {
        try {
            return MessageDigest.getInstance("MD5").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static byte[] gzip(String text) {
        return gzip(utf8(text));
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Writes one protobuf message with the fields the body writes. */
    public static byte[] write(Fields body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            body.writeTo(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The fields of a message, written in order. */
    @FunctionalInterface
    public interface Fields {
        void writeTo(CodedOutputStream out) throws IOException;
    }
}
