package dev.searchsync.bench;

import dev.searchsync.cdc.dynamodb.DynamoDbJson;
import dev.searchsync.source.client.RecordBatch;
import dev.searchsync.source.client.ShardInfo;
import dev.searchsync.source.client.StreamShardClient;
import dev.searchsync.source.client.StreamShardClientFactory;
import dev.searchsync.source.split.StartingPosition;

import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link GeneratedChanges} served as a DynamoDB stream from memory, so the job's own source and converter read SDK
 * records at the speed of the job rather than of an emulator. A record becomes readable at its approximate creation
 * time: set in the past for a pre-filled stream, in the future for one written in real time. The job graph is
 * serialized, so its source finds the stream by name in this JVM.
 */
final class GeneratedStream {
    private static final Map<String, GeneratedStream> STREAMS = new ConcurrentHashMap<>();

    private final String arn;
    private final GeneratedChanges changes;
    private final List<String> shardIds = new ArrayList<>();
    /** Records handed out by GetRecords so far, over every shard and client. */
    private final AtomicLong served = new AtomicLong();
    /** Set once by {@link #release}; until then every shard is empty. */
    private volatile Shard[] shards;

    /** A shard's records in order, with their creation times (for {@link #visible}) and positions by sequence number. */
    private record Shard(Record[] records, long[] createdMillis, Map<String, Integer> positions) {}

    private GeneratedStream(String arn, GeneratedChanges changes) {
        this.arn = arn;
        this.changes = changes;
        for (int shard = 0; shard < changes.shards(); shard++) {
            shardIds.add(String.format("shardId-00000001764547200000-%08x", 0xa1b2c3d0 + shard));
        }
        Shard[] empty = new Shard[changes.shards()];
        Arrays.fill(empty, new Shard(new Record[0], new long[0], Map.of()));
        this.shards = empty;
    }

    /** Makes a stream of {@code changes} readable under {@code arn} (which also names it) until {@link #close}. */
    static GeneratedStream register(String arn, GeneratedChanges changes) {
        GeneratedStream stream = new GeneratedStream(arn, changes);
        if (STREAMS.putIfAbsent(arn, stream) != null) {
            throw new IllegalStateException("A generated stream is registered as " + arn + " already");
        }
        return stream;
    }

    void close() {
        STREAMS.remove(arn);
    }

    /**
     * Whether GetRecords has handed out every change (once each: a job that read a shard twice, after a restart,
     * gets here early): the source has read all, and what is left is in the job.
     */
    boolean servedAll() {
        return served.get() >= changes.changes().size();
    }

    /**
     * Builds the SDK records, change {@code i} created at {@code firstMillis + i * 1000 / perSecond}: all of them at
     * once when that is in the past, in real time at {@code perSecond} when it is ahead.
     */
    void release(long firstMillis, double perSecond) {
        List<List<Record>> records = new ArrayList<>();
        List<List<Long>> times = new ArrayList<>();
        for (int shard = 0; shard < shardIds.size(); shard++) {
            records.add(new ArrayList<>());
            times.add(new ArrayList<>());
        }
        for (GeneratedChanges.Change change : changes.changes()) {
            long created = firstMillis + (long) (change.ordinal() * 1000 / perSecond);
            records.get(change.shard()).add(record(change, created));
            times.get(change.shard()).add(created);
        }
        Shard[] built = new Shard[shardIds.size()];
        for (int shard = 0; shard < built.length; shard++) {
            Map<String, Integer> positions = new HashMap<>();
            List<Record> list = records.get(shard);
            for (int i = 0; i < list.size(); i++) {
                positions.put(list.get(i).dynamodb().sequenceNumber(), i);
            }
            built[shard] = new Shard(list.toArray(new Record[0]),
                    times.get(shard).stream().mapToLong(Long::longValue).toArray(), positions);
        }
        shards = built;
    }

    /** What DynamoDB Streams would return for the change: every field a NEW_AND_OLD_IMAGES record carries. */
    private static Record record(GeneratedChanges.Change change, long createdMillis) {
        StreamRecord.Builder stream = StreamRecord.builder()
                .approximateCreationDateTime(Instant.ofEpochMilli(createdMillis))
                .keys(change.keys())
                .sequenceNumber(change.sequenceNumber())
                .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES);
        long size = DynamoDbJson.write(change.keys()).length();
        if (change.newImage() != null) {
            stream.newImage(change.newImage());
            size += DynamoDbJson.write(change.newImage()).length();
        }
        if (change.oldImage() != null) {
            stream.oldImage(change.oldImage());
            size += DynamoDbJson.write(change.oldImage()).length();
        }
        return Record.builder()
                .eventID(UUID.nameUUIDFromBytes(change.sequenceNumber().getBytes()).toString().replace("-", ""))
                .eventName(change.eventName())
                .eventVersion("1.1")
                .eventSource("aws:dynamodb")
                .awsRegion("us-east-1")
                .dynamodb(stream.sizeBytes(size).build())
                .build();
    }

    /** The source's way to this stream: serializable, it looks the stream up by name where the job runs. */
    StreamShardClientFactory<Record> factory() {
        return new Factory(arn);
    }

    private static final class Factory implements StreamShardClientFactory<Record> {
        private static final long serialVersionUID = 1L;
        private final String arn;

        Factory(String arn) {
            this.arn = arn;
        }

        @Override
        public StreamShardClient<Record> create() {
            GeneratedStream stream = STREAMS.get(arn);
            if (stream == null) {
                throw new IllegalStateException("No generated stream is registered as " + arn);
            }
            return stream.new Client();
        }
    }

    /** Records created up to now: the shard's readable end. */
    private static int visible(Shard shard) {
        int end = Arrays.binarySearch(shard.createdMillis(), System.currentTimeMillis());
        if (end < 0) {
            return -end - 1;
        }
        // Equal times: include every record created at this millisecond.
        while (end < shard.createdMillis().length && shard.createdMillis()[end] <= System.currentTimeMillis()) {
            end++;
        }
        return end;
    }

    /** Iterators are "shard index:position"; they never expire, and shards stay open, as a live table's do. */
    private final class Client implements StreamShardClient<Record> {
        @Override
        public String resolveStreamId() {
            return arn;
        }

        @Override
        public List<ShardInfo> listShards(String streamId) {
            List<ShardInfo> listing = new ArrayList<>();
            for (String shardId : shardIds) {
                listing.add(new ShardInfo(shardId, null, null, false));
            }
            return listing;
        }

        @Override
        public String getShardIterator(String streamId, String shardId, StartingPosition position) {
            int index = shardIds.indexOf(shardId);
            Shard shard = shards[index];
            int at;
            switch (position.type()) {
                case LATEST:
                    at = visible(shard);
                    break;
                case AFTER_SEQUENCE_NUMBER:
                    at = shard.positions().get(position.sequenceNumber()) + 1;
                    break;
                default:
                    at = 0;
            }
            return index + ":" + at;
        }

        @Override
        public RecordBatch<Record> getRecords(String shardIterator, int limit) {
            int colon = shardIterator.indexOf(':');
            int index = Integer.parseInt(shardIterator.substring(0, colon));
            int from = Integer.parseInt(shardIterator.substring(colon + 1));
            Shard shard = shards[index];
            int to = Math.min(visible(shard), from + limit);
            List<Record> batch = to > from ? Arrays.asList(shard.records()).subList(from, to) : List.of();
            served.addAndGet(batch.size());
            return new RecordBatch<>(batch, index + ":" + Math.max(from, to), null);
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
