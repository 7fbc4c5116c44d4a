package dev.searchsync.job;

import dev.searchsync.cdc.dynamodb.DynamoDbChangeMapper;
import dev.searchsync.model.RecordMapper;

import org.apache.flink.api.connector.source.Source;

import java.util.Objects;

/**
 * One input of the job: a source of records, the mapper that turns them into actions, and the lane the actions take.
 * Its operators' uids derive from its kind, so they stay stable as long as the kind does.
 */
public final class Input<T> {
    private final String name;
    private final Source<T, ?, ?> source;
    private final RecordMapper<T> mapper;
    private final Lane lane;

    /** @param name what the dashboard shows for the source */
    public Input(String name, Source<T, ?, ?> source, RecordMapper<T> mapper, Lane lane) {
        this.name = Objects.requireNonNull(name);
        this.source = Objects.requireNonNull(source);
        this.mapper = Objects.requireNonNull(mapper);
        this.lane = Objects.requireNonNull(lane);
    }

    /** The same input reading from {@code other} (a test's own source of the same records, say). */
    public Input<T> withSource(Source<T, ?, ?> other) {
        return new Input<>(name, other, mapper, lane);
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
