package dev.searchsync.job;

import dev.searchsync.cdc.dynamodb.DynamoDbChangeMapper;
import dev.searchsync.model.RecordMapper;

import org.apache.flink.api.connector.source.Source;

import java.util.Objects;
import java.util.Optional;

/**
 * One input of the job: a source of records, the mapper that turns them into actions, and the lane the actions take.
 * Its operators' uids derive from its kind, so they stay stable as long as the kind does.
 */
public final class Input<T> {
    private final String name;
    private final Source<T, ?, ?> source;
    private final RecordMapper<T> mapper;
    private final Lane lane;
    private final Source<T, ?, ?> load;

    /** @param name what the dashboard shows for the source */
    public Input(String name, Source<T, ?, ?> source, RecordMapper<T> mapper, Lane lane) {
        this(name, source, mapper, lane, null);
    }

    private Input(String name, Source<T, ?, ?> source, RecordMapper<T> mapper, Lane lane, Source<T, ?, ?> load) {
        this.name = Objects.requireNonNull(name);
        this.source = Objects.requireNonNull(source);
        this.mapper = Objects.requireNonNull(mapper);
        this.lane = Objects.requireNonNull(lane);
        this.load = load;
    }

    /** The same input reading from {@code other} (a test's own source of the same records, say). */
    public Input<T> withSource(Source<T, ?, ?> other) {
        return new Input<>(name, other, mapper, lane, load);
    }

    /**
     * The same input with an initial load: a bounded source of the records already there (a table's items), read
     * beside {@link #source()} into the same steps. Only for the VERSIONED lane, whose ordering places each loaded
     * record against the stream's changes.
     */
    public Input<T> withLoad(Source<T, ?, ?> loadSource) {
        if (lane != Lane.VERSIONED) {
            throw new IllegalArgumentException("an initial load needs the VERSIONED lane, " + name + " is " + lane);
        }
        return new Input<>(name, source, mapper, lane, Objects.requireNonNull(loadSource));
    }

    /** The initial load's source, when there is one. */
    public Optional<Source<T, ?, ?>> load() {
        return Optional.ofNullable(load);
    }

    /** The initial load's uid: {@code <kind>-load}. */
    public String loadUid() {
        return mapper.kind() + "-load";
    }

    public String name() {
        return name;
    }

    public Source<T, ?, ?> source() {
        return source;
    }

    public RecordMapper<T> mapper() {
        return mapper;
    }

    public Lane lane() {
        return lane;
    }

    /**
     * The source's uid: {@code <kind>-source}, except for DynamoDB Streams, whose source has been
     * {@code dynamodb-stream-source} since before inputs had kinds (a savepoint holds the uid's hash).
     */
    public String sourceUid() {
        return DynamoDbChangeMapper.KIND.equals(mapper.kind()) ? "dynamodb-stream-source" : mapper.kind() + "-source";
    }
}
