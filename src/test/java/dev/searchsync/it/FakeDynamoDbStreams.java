package dev.searchsync.it;

import dev.searchsync.cdc.dynamodb.ChangeRecord;
import dev.searchsync.cdc.dynamodb.DynamoDbChangeConverter;
import dev.searchsync.cdc.dynamodb.DynamoDbJson;
import dev.searchsync.config.ShardSourceSettings;
import dev.searchsync.source.ShardStreamSource;
import dev.searchsync.source.client.RecordBatch;
import dev.searchsync.source.client.ShardInfo;
import dev.searchsync.source.client.StreamShardClient;
import dev.searchsync.source.client.StreamShardClientFactory;
import dev.searchsync.source.fake.FakeRecord;
import dev.searchsync.source.fake.FakeStream;
import dev.searchsync.source.split.StartingPosition;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * A {@link FakeStream} read as a DynamoDB stream, so a MiniCluster job runs its own source and
 * {@link DynamoDbChangeConverter} on a stream whose ARN, shard ids, sequence numbers and times the test fixes (moto
 * decides them itself). A {@link FakeRecord}'s key is the item's {@value #KEY_ATTRIBUTE}; its value is the event
 * name, then a space and the new image in DynamoDB JSON unless it is a REMOVE; its arrival time is the change's
 * approximate creation time. The job graph is serialized, so the source finds its stream by name in this JVM.
 */
public final class FakeDynamoDbStreams {
    /** The table's partition key, a string. */
    public static final String KEY_ATTRIBUTE = "id";

    private static final Map<String, FakeStream> STREAMS = new ConcurrentHashMap<>();

    private FakeDynamoDbStreams() {}

    /** Makes {@code stream} readable by the sources of {@link #source} under {@code name}. */
    public static void register(String name, FakeStream stream) {
        if (STREAMS.putIfAbsent(name, stream) != null) {
            throw new IllegalStateException("A fake stream is registered as " + name + " already");
        }
    }

    public static void unregister(String name) {
        STREAMS.remove(name);
    }

    /** The job's DynamoDB Streams source, reading the fake stream registered as {@code name}. */
    public static ShardStreamSource<Record, ChangeRecord> source(String name, ShardSourceSettings settings) {
        return new ShardStreamSource<>(new Factory(name), new DynamoDbChangeConverter(), settings);
    }

    /** The value of a record that writes {@code newImage} ({@code INSERT} or {@code MODIFY}). */
    public static String write(String eventName, Map<String, AttributeValue> newImage) {
        return eventName + " " + DynamoDbJson.write(newImage);
    }

    /** The value of a record that deletes its item. */
    public static String remove() {
        return "REMOVE";
    }

    /** The DynamoDB Streams record {@code record} stands for. */
    static Record toRecord(FakeRecord record) {
        String value = record.value();
        int space = value.indexOf(' ');
        String eventName = space < 0 ? value : value.substring(0, space);
        StreamRecord.Builder change = StreamRecord.builder()
                .keys(Map.of(KEY_ATTRIBUTE, AttributeValue.fromS(record.key())))
                .sequenceNumber(record.sequenceNumber())
                .approximateCreationDateTime(Instant.ofEpochMilli(record.arrivalMillis()))
                .streamViewType("NEW_IMAGE");
        if (space >= 0) {
            change.newImage(DynamoDbJson.read(value.substring(space + 1)));
        }
        return Record.builder()
                .eventID(record.sequenceNumber())
                .eventName(eventName)
                .eventSource("aws:dynamodb")
                .dynamodb(change.build())
                .build();
    }

    /** Opens a client on the registered stream wherever the source runs (in this JVM: a MiniCluster). */
    private static final class Factory implements StreamShardClientFactory<Record> {
        private static final long serialVersionUID = 1L;
        private final String name;

        Factory(String name) {
            this.name = name;
        }

        @Override
        public StreamShardClient<Record> create() {
            FakeStream stream = STREAMS.get(name);
            if (stream == null) {
                throw new IllegalStateException("No fake stream is registered as " + name);
            }
            return new Client(stream);
        }
    }

    /** The fake stream's answers, with its records as DynamoDB Streams records. */
    private static final class Client implements StreamShardClient<Record> {
        private final FakeStream stream;

        Client(FakeStream stream) {
            this.stream = stream;
        }

        @Override
        public String resolveStreamId() {
            return stream.resolveStreamId();
        }

        @Override
        public List<ShardInfo> listShards(String streamId) {
            return stream.listShards(streamId);
        }

        @Override
        public String getShardIterator(String streamId, String shardId, StartingPosition position) {
            return stream.getShardIterator(streamId, shardId, position);
        }

        @Override
        public RecordBatch<Record> getRecords(String shardIterator, int limit) {
            RecordBatch<FakeRecord> batch = stream.getRecords(shardIterator, limit);
            return new RecordBatch<>(
                    batch.records().stream().map(FakeDynamoDbStreams::toRecord).collect(Collectors.toList()),
                    batch.nextIterator(), batch.millisBehindLatest());
        }

        @Override
        public String sequenceNumber(Record record) {
            return record.dynamodb().sequenceNumber();
        }

        @Override
        public long approximateArrivalMillis(Record record) {
            return record.dynamodb().approximateCreationDateTime().toEpochMilli();
        }

        @Override
        public void close() {}
    }
}
