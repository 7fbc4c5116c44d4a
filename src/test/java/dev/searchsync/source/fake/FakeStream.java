package dev.searchsync.source.fake;

import dev.searchsync.source.client.RecordBatch;
import dev.searchsync.source.client.ShardDataTrimmedException;
import dev.searchsync.source.client.ShardInfo;
import dev.searchsync.source.client.ShardIteratorExpiredException;
import dev.searchsync.source.client.ShardNotFoundException;
import dev.searchsync.source.client.ShardThrottledException;
import dev.searchsync.source.client.StreamNotFoundException;
import dev.searchsync.source.client.StreamShardClient;
import dev.searchsync.source.split.StartingPosition;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * An in-memory sharded stream with lineage, trimming, expiry and throttling, so source tests need no AWS. It can
 * also be replaced by a new stream, as when a table is recreated or its stream disabled and enabled again: the old
 * one stays readable under its own id, with its shards closed.
 */
public final class FakeStream implements StreamShardClient<FakeRecord> {
    /** DynamoDB-like: 21 digits, more than a long holds, growing across all shards. */
    private static final BigInteger FIRST_SEQUENCE_NUMBER = new BigInteger("300000000000000000001");

    private final LongSupplier clock;
    /** Every stream by id, the current one last; iterators name a stream by its index here. */
    private final Map<String, Map<String, Shard>> streams = new LinkedHashMap<>();
    private final List<String> streamIds = new ArrayList<>();
    private String streamId;
    private Map<String, Shard> shards;
    private final Deque<RuntimeException> listShardsFailures = new ArrayDeque<>();
    private final Map<String, List<StartingPosition>> iteratorRequests = new LinkedHashMap<>();
    private final Map<String, Integer> getRecordsCallsByShard = new LinkedHashMap<>();
    private final Map<String, Deque<String>> trimsOnGetRecords = new LinkedHashMap<>();
    private BigInteger nextSequenceNumber = FIRST_SEQUENCE_NUMBER;
    private int epoch;
    private int throttleNext;
    private long batchByteCap = Long.MAX_VALUE;
    private long minPollSpacingMillis;
    private int shardCounter;
    private int listShardsCalls;
    private int getRecordsCalls;

    public FakeStream(String streamId) {
        this(streamId, () -> 0L);
    }

    public FakeStream(String streamId, LongSupplier clock) {
        this.clock = clock;
        open(streamId);
    }

    private void open(String id) {
        if (streams.containsKey(id)) {
            throw new IllegalArgumentException("Stream " + id + " exists");
        }
        streamId = id;
        shards = new LinkedHashMap<>();
        streams.put(id, shards);
        streamIds.add(id);
    }

    // ---- shaping the stream -------------------------------------------------------------------------------

    public synchronized String createShard(String shardId, String parentShardIdOrNull) {
        if (shards.containsKey(shardId) || shardId.contains(":")) {
            throw new IllegalArgumentException("Shard " + shardId + " exists or has a ':' (iterators use it)");
        }
        shards.put(shardId, new Shard(shardId, parentShardIdOrNull));
        return shardId;
    }

    public synchronized FakeRecord append(String shardId, String key, String value) {
        Shard shard = shard(shardId);
        if (shard.closed) {
            throw new IllegalStateException("Shard " + shardId + " is closed");
        }
        FakeRecord record = new FakeRecord(shardId, key, value, nextSequenceNumber.toString(), clock.getAsLong());
        nextSequenceNumber = nextSequenceNumber.add(BigInteger.ONE);
        shard.records.add(record);
        return record;
    }

    public synchronized void close(String shardId) {
        shard(shardId).closed = true;
    }

    /** Closes the shard and opens the one that continues it. */
    public synchronized String rollover(String shardId) {
        close(shardId);
        return createShard(shardId + "." + (++shardCounter), shardId);
    }

    /** Closes the shard and opens two children that share its key range. */
    public synchronized List<String> split(String shardId) {
        close(shardId);
        return List.of(createShard(shardId + "." + (++shardCounter), shardId),
                createShard(shardId + "." + (++shardCounter), shardId));
    }

    /** The shard closes and ages out whole: the stream no longer lists it, and every call about it fails. */
    public synchronized void expire(String shardId) {
        Shard shard = shard(shardId);
        shard.closed = true;
        shard.gone = true;
    }

    /**
     * Closes every shard of the current stream and makes {@code newStreamId} the stream the client resolves to,
     * with no shards yet: what DynamoDB does when a table is deleted and created again under its name, or its
     * stream disabled and enabled again. The old stream stays listed and readable under its id; shard ids may
     * repeat in the new one (moto gives every stream the same shard id).
     */
    public synchronized void replaceStream(String newStreamId) {
        shards.values().forEach(shard -> shard.closed = true);
        open(newStreamId);
    }

    /** Every iterator issued so far stops working. */
    public synchronized void expireIterators() {
        epoch++;
    }

    /** The records of the shard with a sequence number below {@code sequenceNumber} age out. */
    public synchronized void trimBefore(String shardId, String sequenceNumber) {
        Shard shard = shard(shardId);
        BigInteger limit = new BigInteger(sequenceNumber);
        while (shard.trimmed < shard.records.size()
                && new BigInteger(shard.records.get(shard.trimmed).sequenceNumber()).compareTo(limit) < 0) {
            shard.trimmed++;
        }
    }

    /**
     * The next GetRecords call on the shard first ages out the records below {@code sequenceNumber}, as when the
     * trim horizon moves between GetShardIterator and GetRecords; each call queued applies to one call.
     */
    public synchronized void trimBeforeNextGetRecords(String shardId, String sequenceNumber) {
        shard(shardId);
        trimsOnGetRecords.computeIfAbsent(shardId, k -> new ArrayDeque<>()).add(sequenceNumber);
    }

    /**
     * GetRecords stops once a batch holds {@code bytes} (key and value, UTF-8), as the real service stops at 1 MB
     * besides the record limit; a batch always holds at least one record.
     */
    public synchronized void capBatchBytes(long bytes) {
        batchByteCap = bytes;
    }

    /** The next {@code n} GetRecords calls are throttled. */
    /** Declares a per-shard read-rate limit, as Kinesis has (5 GetRecords a second per shard). */
    public synchronized void limitReadsToOneEvery(long millis) {
        minPollSpacingMillis = millis;
    }

    @Override
    public synchronized long minPollSpacingMillis() {
        return minPollSpacingMillis;
    }

    public synchronized void throttleNext(int n) {
        throttleNext = n;
    }

    /** The next listShards call throws {@code error}. */
    public synchronized void failNextListShards(RuntimeException error) {
        listShardsFailures.add(error);
    }

    // ---- what the code under test did ---------------------------------------------------------------------

    public synchronized int listShardsCalls() {
        return listShardsCalls;
    }

    public synchronized int getRecordsCalls() {
        return getRecordsCalls;
    }

    public synchronized int getRecordsCalls(String shardId) {
        return getRecordsCallsByShard.getOrDefault(shardId, 0);
    }

    /** The positions getShardIterator was asked for on this shard, in order. */
    public synchronized List<StartingPosition> iteratorRequests(String shardId) {
        return List.copyOf(iteratorRequests.getOrDefault(shardId, List.of()));
    }

    public synchronized List<FakeRecord> records(String shardId) {
        return List.copyOf(shard(shardId).records);
    }

    // ---- StreamShardClient --------------------------------------------------------------------------------

    @Override
    public synchronized String resolveStreamId() {
        return streamId;
    }

    @Override
    public synchronized List<ShardInfo> listShards(String requestedStreamId) {
        listShardsCalls++;
        if (!listShardsFailures.isEmpty()) {
            throw listShardsFailures.poll();
        }
        Map<String, Shard> listed = streams.get(requestedStreamId);
        if (listed == null) {
            throw new StreamNotFoundException("No stream " + requestedStreamId, null);
        }
        List<ShardInfo> listing = new ArrayList<>();
        for (Shard shard : listed.values()) {
            if (shard.gone) {
                continue;
            }
            listing.add(new ShardInfo(shard.id, shard.parentId, null, shard.closed));
        }
        return listing;
    }

    @Override
    public synchronized String getShardIterator(String requestedStreamId, String shardId, StartingPosition position) {
        int stream = streamIds.indexOf(requestedStreamId);
        if (stream < 0) {
            throw new ShardDataTrimmedException("No stream " + requestedStreamId, null);
        }
        Shard shard = shard(streams.get(requestedStreamId), shardId);
        iteratorRequests.computeIfAbsent(shardId, k -> new ArrayList<>()).add(position);
        if (shard.gone) {
            throw new ShardNotFoundException("Shard " + shardId + " does not exist", null);
        }
        int index;
        switch (position.type()) {
            case TRIM_HORIZON:
            case AT_TIMESTAMP: // like DynamoDB Streams: no native AT_TIMESTAMP, the reader skips older records
                index = shard.trimmed;
                break;
            case LATEST:
                index = shard.records.size();
                break;
            default:
                int at = shard.indexOf(position.sequenceNumber());
                if (at < shard.trimmed) {
                    throw new ShardDataTrimmedException("Sequence number " + position.sequenceNumber()
                            + " of " + shardId + " is trimmed", null);
                }
                index = at + 1;
        }
        return stream + ":" + shardId + ":" + index + ":" + epoch;
    }

    @Override
    public synchronized RecordBatch<FakeRecord> getRecords(String shardIterator, int limit) {
        String[] parts = shardIterator.split(":");
        int stream = Integer.parseInt(parts[0]);
        Shard shard = shard(streams.get(streamIds.get(stream)), parts[1]);
        int index = Integer.parseInt(parts[2]);
        getRecordsCalls++;
        getRecordsCallsByShard.merge(shard.id, 1, Integer::sum);
        Deque<String> trims = trimsOnGetRecords.get(shard.id);
        if (trims != null && !trims.isEmpty()) {
            trimBefore(shard.id, trims.poll());
        }
        if (throttleNext > 0) {
            throttleNext--;
            throw new ShardThrottledException("Rate exceeded for " + shard.id, null);
        }
        if (shard.gone) {
            throw new ShardNotFoundException("Shard " + shard.id + " does not exist", null);
        }
        if (Integer.parseInt(parts[3]) < epoch) {
            throw new ShardIteratorExpiredException("Iterator " + shardIterator + " expired", null);
        }
        if (index < shard.trimmed) {
            throw new ShardDataTrimmedException("Iterator " + shardIterator + " points at trimmed records", null);
        }
        int end = index;
        long bytes = 0;
        while (end < shard.records.size() && end < index + limit) {
            bytes += sizeBytes(shard.records.get(end));
            if (bytes > batchByteCap && end > index) {
                break;
            }
            end++;
        }
        List<FakeRecord> batch = List.copyOf(shard.records.subList(index, end));
        String next = shard.closed && end == shard.records.size()
                ? null
                : stream + ":" + shard.id + ":" + end + ":" + epoch;
        return new RecordBatch<>(batch, next, null);
    }

    @Override
    public String sequenceNumber(FakeRecord record) {
        return record.sequenceNumber();
    }

    @Override
    public long approximateArrivalMillis(FakeRecord record) {
        return record.arrivalMillis();
    }

    @Override
    public void close() {}

    private static long sizeBytes(FakeRecord record) {
        return record.key().getBytes(StandardCharsets.UTF_8).length
                + record.value().getBytes(StandardCharsets.UTF_8).length;
    }

    private Shard shard(String shardId) {
        return shard(shards, shardId);
    }

    private static Shard shard(Map<String, Shard> of, String shardId) {
        Shard shard = of.get(shardId);
        if (shard == null) {
            throw new IllegalArgumentException("No shard " + shardId);
        }
        return shard;
    }

    private static final class Shard {
        final String id;
        final String parentId;
        final List<FakeRecord> records = new ArrayList<>();
        boolean closed;
        boolean gone;
        int trimmed;

        Shard(String id, String parentId) {
            this.id = id;
            this.parentId = parentId;
        }

        int indexOf(String sequenceNumber) {
            for (int i = 0; i < records.size(); i++) {
                if (records.get(i).sequenceNumber().equals(sequenceNumber)) {
                    return i;
                }
            }
            throw new IllegalArgumentException("No record " + sequenceNumber + " in " + id);
        }
    }
}
