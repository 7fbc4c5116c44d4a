package dev.searchsync.events;

import dev.searchsync.config.EventConfig;
import dev.searchsync.config.IndexName;
import dev.searchsync.config.RecordFormat;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;
import dev.searchsync.model.RecordMapper;
import dev.searchsync.source.kinesis.KinesisOrigins;
import dev.searchsync.source.kinesis.KinesisRecord;

import org.apache.flink.api.common.typeinfo.TypeInformation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a Kinesis record of JSON events means to the core: each event is a document, appended under an id made of
 * its place in the stream, or (with {@code events/id.field}) indexed, updated or deleted under its own id. The
 * record's data, kept whole as bytes, is what a dead letter holds and a redrive decodes again.
 */
public final class KinesisEventMapper implements RecordMapper<KinesisRecord> {
    private static final long serialVersionUID = 1L;
    /** The input kind, as {@code source/type} names it. */
    public static final String KIND = "kinesis";

    private final String input;
    private final IndexName index;
    private final RecordDecoder decoder;
    private final EventFields fields;

    /**
     * @param input the stream's name, as origins and dead letters name the input
     * @param index where documents go; by event time only for appended events
     */
    public KinesisEventMapper(String input, IndexName index, RecordFormat format, int maxDecodedBytes,
            EventConfig events) {
        this.input = Objects.requireNonNull(input);
        this.index = Objects.requireNonNull(index);
        this.decoder = new RecordDecoder(format, maxDecodedBytes);
        this.fields = new EventFields(events);
        if (index.isPattern() && fields.hasIds()) {
            throw new IllegalArgumentException("an event-time index needs appended events (no id field)");
        }
    }

    /** True when events carry their own ids (the VERSIONED lane); false when each is appended. */
    public boolean versioned() {
        return fields.hasIds();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Origin origin(KinesisRecord record) {
        return KinesisOrigins.origin(record, input, KIND);
    }

    @Override
    public String describe(KinesisRecord record) {
        return KinesisOrigins.describe(record, input);
    }

    @Override
    public RawRecord raw(KinesisRecord record) {
        return RawRecord.bytes(record.getData());
    }

    @Override
    public List<DocumentAction> actions(KinesisRecord record) throws Exception {
        List<DecodedEvent> events = decoder.decode(record.getData());
        Origin origin = origin(record);
        List<DocumentAction> actions = new ArrayList<>(events.size());
        for (DecodedEvent event : events) {
            actions.add(action(record, event, origin));
        }
        return actions;
    }

    private DocumentAction action(KinesisRecord record, DecodedEvent event, Origin recordOrigin)
            throws InvalidEventException {
        Origin origin = recordOrigin.at(event.ordinal());
        long eventTime = fields.time(event, record.getApproximateArrivalMillis());
        origin.setEventTime(eventTime);
        if (!fields.hasIds()) {
            return DocumentAction.create(index.at(eventTime), appendId(record, event), event.documentUtf8(),
                    DocumentAction.UNCOUNTED, origin);
        }
        String id = fields.id(event);
        String target = index.at(eventTime);
        DocumentAction action = fields.isDelete(event)
                ? DocumentAction.delete(target, id, origin)
                : DocumentAction.index(target, id, event.documentUtf8(), DocumentAction.UNCOUNTED, origin);
        action.setEventVersion(fields.version(event));
        return action;
    }

    /**
     * The same event gets the same id on every read (a replay, a restart, a redrive), and no two events of the
     * stream share one: the shard and sequence number name the record, the rest the event's place in it.
     */
    static String appendId(KinesisRecord record, DecodedEvent event) {
        return record.getShardId() + "-" + record.getSequenceNumber() + "-" + event.subRecord() + "-"
                + event.position();
    }

    @Override
    public KinesisRecord restore(RawRecord raw, Origin origin) {
        return KinesisOrigins.restore(raw, origin);
    }

    @Override
    public TypeInformation<KinesisRecord> type() {
        return TypeInformation.of(KinesisRecord.class);
    }

    @Override
    public String toString() {
        return "KinesisEventMapper{input=" + input + ", index=" + index + ", " + decoder + ", " + fields + '}';
    }
}
