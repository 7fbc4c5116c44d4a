package dev.searchsync.events;

import dev.searchsync.codec.BoundedGunzip;
import dev.searchsync.config.RecordFormat;
import dev.searchsync.model.UndecodableRecordException;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Turns the data of one Kinesis record into the JSON events an application put, whichever way it packed them:
 * KPL aggregation, then gzip, then the record format (see docs/architecture.md, "Kinesis events").
 */
public final class RecordDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    private final RecordFormat format;
    private final int maxDecodedBytes;

    /**
     * @param maxDecodedBytes the most bytes gzip data of one Kinesis record may decompress to, all its sub-records
     *                        together (so that many small bombs in one aggregated record are caught as well)
     */
    public RecordDecoder(RecordFormat format, int maxDecodedBytes) {
        this.format = Objects.requireNonNull(format, "format");
        if (maxDecodedBytes <= 0) {
            throw new IllegalArgumentException("maxDecodedBytes must be positive, was " + maxDecodedBytes);
        }
        this.maxDecodedBytes = maxDecodedBytes;
    }

    /**
     * The record's events in order; an empty list for a record that holds none.
     *
     * @throws UndecodableRecordException naming what is wrong and where (sub-record, event position, byte offset),
     *                                    never a value of the data
     */
    public List<DecodedEvent> decode(byte[] data) throws UndecodableRecordException {
        Objects.requireNonNull(data, "data");
        List<DecodedEvent> events = new ArrayList<>();
        if (!KplAggregate.isAggregated(data)) {
            new Budget().decode(data, 0, null, events, "");
            return events;
        }
        List<KplAggregate.SubRecord> subRecords = KplAggregate.split(data);
        Budget budget = new Budget();
        for (int i = 0; i < subRecords.size(); i++) {
            KplAggregate.SubRecord subRecord = subRecords.get(i);
            budget.decode(subRecord.data, i, subRecord.partitionKey, events,
                    "KPL sub-record " + i + " of " + subRecords.size() + ": ");
        }
        return events;
    }

    /** The decompressed bytes one Kinesis record may still produce. */
    private final class Budget {
        private int room = maxDecodedBytes;

        void decode(byte[] data, int subRecord, String partitionKey, List<DecodedEvent> events, String where)
                throws UndecodableRecordException {
            try {
                JsonEvents.read(gunzipIfGzip(data), format, subRecord, partitionKey, events);
            } catch (UndecodableRecordException e) {
                if (where.isEmpty()) {
                    throw e;
                }
                throw new UndecodableRecordException(where + e.getMessage());
            }
        }

        private byte[] gunzipIfGzip(byte[] data) throws UndecodableRecordException {
            if (!BoundedGunzip.isGzip(data)) {
                return data;
            }
            byte[] plain;
            try {
                plain = BoundedGunzip.gunzip(data, room);
            } catch (IOException e) {
                // The JDK's inflater messages name the format fault ("invalid stored block lengths"), not the data.
                throw new UndecodableRecordException("gzip data cannot be decompressed: " + e.getMessage());
            }
            if (plain.length > room) {
                throw new UndecodableRecordException("gzip data decompresses to more than the limit of "
                        + maxDecodedBytes + " decoded bytes per Kinesis record");
            }
            room -= plain.length;
            return plain;
        }
    }
}
