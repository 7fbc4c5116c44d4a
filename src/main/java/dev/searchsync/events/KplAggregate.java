package dev.searchsync.events;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.searchsync.model.UndecodableRecordException;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Splits a KPL aggregated Kinesis record into its user records, checked against the documented format
 * (awslabs/amazon-kinesis-producer, aggregation-format.md): magic number, protobuf AggregatedRecord, MD5 digest.
 */
final class KplAggregate {
    private static final byte[] MAGIC = {(byte) 0xF3, (byte) 0x89, (byte) 0x9A, (byte) 0xC2};
    private static final int DIGEST_LENGTH = 16;
    private static final String WHAT = "KPL aggregated record: ";

    // AggregatedRecord
    private static final int PARTITION_KEY_TABLE = 1;
    private static final int RECORDS = 3;
    // Record
    private static final int PARTITION_KEY_INDEX = 1;
    private static final int DATA = 3;

    /** One user record: its data and the partition key the producer gave it. */
    static final class SubRecord {
        final String partitionKey;
        final byte[] data;

        SubRecord(String partitionKey, byte[] data) {
            this.partitionKey = partitionKey;
            this.data = data;
        }
    }

    private KplAggregate() {
    }

    static boolean isAggregated(byte[] data) {
        return data.length >= MAGIC.length && Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    static List<SubRecord> split(byte[] data) throws UndecodableRecordException {
        int messageLength = data.length - MAGIC.length - DIGEST_LENGTH;
        if (messageLength < 0) {
            throw new UndecodableRecordException(WHAT + data.length + " bytes, too short for the magic number and "
                    + "the MD5 digest (" + (MAGIC.length + DIGEST_LENGTH) + " bytes)");
        }
        MessageDigest md5 = md5();
        md5.update(data, MAGIC.length, messageLength);
        if (!MessageDigest.isEqual(md5.digest(),
                Arrays.copyOfRange(data, MAGIC.length + messageLength, data.length))) {
            throw new UndecodableRecordException(WHAT + "MD5 digest does not match the protobuf message ("
                    + messageLength + " bytes)");
        }
        List<String> partitionKeys = new ArrayList<>();
        List<Long> keyIndexes = new ArrayList<>();
        List<byte[]> datas = new ArrayList<>();
        try {
            CodedInputStream in = CodedInputStream.newInstance(data, MAGIC.length, messageLength);
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                int field = WireFormat.getTagFieldNumber(tag);
                if (field == PARTITION_KEY_TABLE) {
                    expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AggregatedRecord.partition_key_table");
                    partitionKeys.add(in.readString());
                } else if (field == RECORDS) {
                    expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "AggregatedRecord.records");
                    int limit = in.pushLimit(in.readRawVarint32());
                    readRecord(in, datas.size(), keyIndexes, datas);
                    in.popLimit(limit);
                } else {
                    // The explicit hash key table only routed the record to its shard; unknown fields are newer ones.
                    in.skipField(tag);
                }
            }
        } catch (IOException e) {
            // Protobuf's messages describe the wire format only (lengths, tags), never the data.
            throw new UndecodableRecordException(WHAT + "invalid protobuf message: " + e.getMessage());
        }
        // Resolved only now: the wire format does not promise that the key table comes before the records.
        List<SubRecord> records = new ArrayList<>(datas.size());
        for (int i = 0; i < datas.size(); i++) {
            long index = keyIndexes.get(i);
            if (index < 0 || index >= partitionKeys.size()) {
                throw new UndecodableRecordException(WHAT + "sub-record " + i + " has partition_key_index "
                        + Long.toUnsignedString(index) + ", but the partition key table has " + partitionKeys.size()
                        + " entries");
            }
            records.add(new SubRecord(partitionKeys.get((int) index), datas.get(i)));
        }
        return records;
    }

    private static void readRecord(CodedInputStream in, int number, List<Long> keyIndexes, List<byte[]> datas)
            throws IOException, UndecodableRecordException {
        Long keyIndex = null;
        byte[] recordData = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            int field = WireFormat.getTagFieldNumber(tag);
            if (field == PARTITION_KEY_INDEX) {
                expectWireType(tag, WireFormat.WIRETYPE_VARINT, "Record.partition_key_index");
                keyIndex = in.readUInt64();
            } else if (field == DATA) {
                expectWireType(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, "Record.data");
                recordData = in.readByteArray();
            } else {
                // explicit_hash_key_index (routing only), tags (not used by KPL or KCL) and unknown fields.
                in.skipField(tag);
            }
        }
        if (keyIndex == null) {
            throw new UndecodableRecordException(WHAT + "sub-record " + number
                    + " has no partition_key_index (a required field)");
        }
        if (recordData == null) {
            throw new UndecodableRecordException(WHAT + "sub-record " + number + " has no data (a required field)");
        }
        keyIndexes.add(keyIndex);
        datas.add(recordData);
    }

    /** A known field with another wire type is a broken producer, not a newer format: say so rather than skip it. */
    private static void expectWireType(int tag, int wireType, String field) throws InvalidProtocolBufferException {
        if (WireFormat.getTagWireType(tag) != wireType) {
            throw new InvalidProtocolBufferException(field + " has wire type " + WireFormat.getTagWireType(tag)
                    + ", expected " + wireType);
        }
    }

    private static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }
}
