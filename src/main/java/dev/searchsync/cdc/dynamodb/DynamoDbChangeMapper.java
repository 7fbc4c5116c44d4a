package dev.searchsync.cdc.dynamodb;

import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;
import dev.searchsync.model.RecordMapper;
import dev.searchsync.model.UndecodableRecordException;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What a DynamoDB change means to the core: one index or delete of the item's document, keyed by the table's key;
 * its stream position as the {@link Origin}; and the change itself, in {@link ChangeRecordJson}, for dead letters.
 */
public final class DynamoDbChangeMapper implements RecordMapper<ChangeRecord> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbChangeMapper.class);
    /** The input kind, as {@code source/type} names it. */
    public static final String KIND = "dynamodb-streams";

    private final String index;
    private final KeySchemaSource keySchemaSource;
    private final List<String> include;
    private final List<String> exclude;
    private transient ItemConverter converter;

    /**
     * @param include top-level attributes to keep; empty keeps all
     * @param exclude top-level attributes to drop
     */
    public DynamoDbChangeMapper(String index, KeySchemaSource keySchemaSource, Collection<String> include,
            Collection<String> exclude) {
        this.index = Objects.requireNonNull(index);
        this.keySchemaSource = Objects.requireNonNull(keySchemaSource);
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
    }

    @Override
    public void open() {
        KeySchema keySchema = keySchemaSource.keySchema();
        converter = new ItemConverter(index, keySchema, include, exclude);
        LOG.info("Converting changes to documents of index '{}' keyed by {} ({})", index, keySchema, keySchemaSource);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Origin origin(ChangeRecord change) {
        return originOf(change);
    }

    /** The change's place in its stream; the input is named by its table. */
    static Origin originOf(ChangeRecord change) {
        Origin origin = change.isLoaded()
                ? Origin.snapshot(change.getTableName(), KIND, change.getApproximateCreationTime())
                : Origin.of(change.getTableName(), KIND, change.getShardId(), change.getParentShardId(),
                        change.getSequenceNumber(), change.getApproximateCreationTime(), change.getEventId());
        return change.getRedriveAttempt() > 0 ? origin.redriven(change.getRedriveAttempt()) : origin;
    }

    @Override
    public String describe(ChangeRecord change) {
        if (change.isLoaded()) {
            return "item of table " + change.getTableName() + " read by the initial load, keys " + change.getKeys();
        }
        return "event " + change.getEventId() + " of table " + change.getTableName() + ", keys " + change.getKeys();
    }

    @Override
    public RawRecord raw(ChangeRecord change) {
        return RawRecord.json(ChangeRecordJson.write(change));
    }

    @Override
    public List<DocumentAction> actions(ChangeRecord change) throws UndecodableRecordException {
        if (change.getDecodeError() != null) {
            throw new UndecodableRecordException("Stream record could not be read: " + change.getDecodeError());
        }
        DocumentAction action = converter.convert(change);
        if (change.isLoaded()) {
            // Every item of one load has the load's version: older than any change the stream holds from the load's
            // start on, newer than any before it (docs/architecture.md, "The initial load").
            action.setEventVersion(change.getLoadVersion());
        }
        return List.of(action);
    }

    @Override
    public ChangeRecord restore(RawRecord raw, Origin origin) {
        if (raw.getFormat() != RawRecord.RawFormat.JSON) {
            throw new IllegalArgumentException("a DynamoDB change is kept as JSON, this record is " + raw.getFormat());
        }
        ChangeRecord change = ChangeRecordJson.read(raw.getData());
        change.setRedriveAttempt(origin.getRedriveAttempt());
        return change;
    }

    @Override
    public TypeInformation<ChangeRecord> type() {
        return TypeInformation.of(ChangeRecord.class);
    }

    @Override
    public String toString() {
        return "DynamoDbChangeMapper{index=" + index + ", " + keySchemaSource + ", include=" + include + ", exclude="
                + exclude + '}';
    }
}
