package dev.searchsync.it;

import dev.searchsync.cdc.dynamodb.DynamoDbJson;
import dev.searchsync.source.fake.FakeRecord;
import dev.searchsync.source.fake.FakeStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * What the job had read when a savepoint of {@link SavepointRestoreIT} was taken, kept next to it as
 * {@value #FILE}: the stream (ARN, shards, records with their sequence numbers and times), the index, the
 * {@code _version} OpenSearch held for each live document, and which documents change again after the restore.
 * Everything a restore needs to put the world back as it was comes from this file, not from today's code, so a
 * savepoint recorded years ago is restored the way it was taken.
 *
 * @param index the index the job wrote to (part of the keyed state's keys, so a restore writes to it too)
 * @param streamArn the stream's ARN, which the source's state names
 * @param shards every shard, parents before children
 * @param records every record, in the order they were written (ascending sequence numbers)
 * @param versions {@code _version} of each document the index held after the savepoint
 * @param continued documents that get a new change after the restore; the other live ones get none
 */
record SavepointWorkload(String index, String streamArn, List<Shard> shards, List<Change> records,
        Map<String, Long> versions, List<String> continued) {
    static final String FILE = "workload.json";
    /** The folder, next to {@value #FILE}, that holds the savepoint as Flink wrote it. */
    static final String SAVEPOINT_FOLDER = "savepoint";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** One shard; {@code parent} is null for a root. */
    record Shard(String id, String parent, boolean closed) {}

    /** One record of the stream, as the fake stream holds it (see {@link FakeDynamoDbStreams}). */
    record Change(String shard, String key, String value, String sequenceNumber, long createdAt) {
        boolean removes() {
            return value.equals(FakeDynamoDbStreams.remove());
        }

        /** The {@code step} attribute the record writes; null for a delete. */
        String step() {
            return removes() ? null : DynamoDbJson.read(value.substring(value.indexOf(' ') + 1)).get("step").s();
        }
    }

    /**
     * The story {@link SavepointRestoreIT#record} tells before it takes a savepoint (core-v2-2026-11-30 was taken
     * after it): a closed parent shard and its open child, and a second open root shard; documents written, updated
     * (twice in one second once), deleted, and one whose last change is in the closed parent. Sequence numbers are
     * the ones {@link FakeStream} gives, recorded by {@link #fromStream}.
     */
    static FakeStream story(String streamArn, String parent, String child, String root) {
        AtomicLong clock = new AtomicLong();
        FakeStream stream = new FakeStream(streamArn, clock::get);
        stream.createShard(parent, null);
        stream.createShard(child, parent);
        stream.createShard(root, null);
        long t0 = Instant.parse("2026-11-30T08:00:00Z").toEpochMilli();
        append(stream, clock, t0, parent, "A", "INSERT", "p1");
        append(stream, clock, t0, parent, "B", "INSERT", "p1");
        append(stream, clock, t0 + 1_000, parent, "D", "INSERT", "p1");
        append(stream, clock, t0 + 1_000, parent, "K", "INSERT", "p1");
        append(stream, clock, t0 + 1_000, parent, "A", "MODIFY", "p2");
        stream.close(parent);
        append(stream, clock, t0 + 2_000, child, "B", "MODIFY", "c1");
        append(stream, clock, t0 + 2_000, child, "D", "REMOVE", null);
        append(stream, clock, t0 + 3_000, child, "E", "INSERT", "c1");
        append(stream, clock, t0 + 3_000, child, "A", "MODIFY", "c2");
        append(stream, clock, t0 + 3_000, child, "A", "MODIFY", "c3");
        append(stream, clock, t0, root, "F", "INSERT", "r1");
        append(stream, clock, t0 + 1_000, root, "G", "INSERT", "r1");
        append(stream, clock, t0 + 2_000, root, "G", "REMOVE", null);
        append(stream, clock, t0 + 3_000, root, "F", "MODIFY", "r2");
        return stream;
    }

    /** The item a record of this workload writes: its key and the step of the story that wrote it. */
    static Map<String, AttributeValue> item(String key, String step) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put(FakeDynamoDbStreams.KEY_ATTRIBUTE, AttributeValue.fromS(key));
        item.put("step", AttributeValue.fromS(step));
        return item;
    }

    private static void append(FakeStream stream, AtomicLong clock, long createdAt, String shard, String key,
            String eventName, String step) {
        clock.set(createdAt);
        stream.append(shard, key, step == null ? FakeDynamoDbStreams.remove()
                : FakeDynamoDbStreams.write(eventName, item(key, step)));
    }

    /** The workload of {@code stream} as it stands, with the versions and continued documents given. */
    static SavepointWorkload fromStream(FakeStream stream, List<Shard> shards, String index,
            Map<String, Long> versions, List<String> continued) {
        List<Change> records = new ArrayList<>();
        for (Shard shard : shards) {
            for (FakeRecord record : stream.records(shard.id())) {
                records.add(new Change(record.shardId(), record.key(), record.value(), record.sequenceNumber(),
                        record.arrivalMillis()));
            }
        }
        records.sort((a, b) -> new BigInteger(a.sequenceNumber())
                .compareTo(new BigInteger(b.sequenceNumber())));
        return new SavepointWorkload(index, stream.resolveStreamId(), shards, records, versions, continued);
    }

    static SavepointWorkload read(Path folder) throws IOException {
        return JSON.readValue(folder.resolve(FILE).toFile(), SavepointWorkload.class);
    }

    void write(Path folder) throws IOException {
        JSON.writeValue(folder.resolve(FILE).toFile(), this);
    }

    /**
     * The stream as it was when the savepoint was taken: the same shards, and the same records written in the same
     * order, so each gets the sequence number it had (checked; a {@link FakeStream} that numbers differently cannot
     * restore this savepoint). {@code clock} gives the times of records appended later.
     */
    FakeStream rebuild(AtomicLong clock) {
        FakeStream stream = new FakeStream(streamArn, clock::get);
        shards.forEach(shard -> stream.createShard(shard.id(), shard.parent()));
        for (Change change : records) {
            clock.set(change.createdAt());
            FakeRecord written = stream.append(change.shard(), change.key(), change.value());
            if (!written.sequenceNumber().equals(change.sequenceNumber())) {
                throw new IllegalStateException("The fake stream gave " + written.sequenceNumber() + " to the record"
                        + " that had " + change.sequenceNumber() + ": " + change);
            }
        }
        shards.stream().filter(Shard::closed).forEach(shard -> stream.close(shard.id()));
        return stream;
    }

    /** The last change of document {@code key} before the savepoint. */
    Change lastChange(String key) {
        Change last = null;
        for (Change change : records) {
            if (change.key().equals(key)) {
                last = change;
            }
        }
        if (last == null) {
            throw new IllegalArgumentException("No change of " + key);
        }
        return last;
    }

    /** The last record of {@code shard}, where its reader stood at the savepoint; empty when it has none. */
    Optional<Change> lastRecordOf(String shard) {
        Change last = null;
        for (Change change : records) {
            if (change.shard().equals(shard)) {
                last = change;
            }
        }
        return Optional.ofNullable(last);
    }

    /** Documents whose last change deleted them. */
    List<String> deleted() {
        return keys().stream().filter(key -> lastChange(key).removes()).collect(Collectors.toList());
    }

    /** Live documents that get no new change after the restore. */
    List<String> untouched() {
        return keys().stream().filter(key -> !lastChange(key).removes() && !continued.contains(key))
                .collect(Collectors.toList());
    }

    Shard shard(String id) {
        return shards.stream().filter(s -> s.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No shard " + id));
    }

    /** The open shard a new change of a document last changed in {@code shard} goes to: it, or a descendant. */
    String openShardFrom(String shard) {
        for (Shard candidate : shards) {
            if (candidate.closed()) {
                continue;
            }
            for (String at = candidate.id(); at != null; at = shard(at).parent()) {
                if (at.equals(shard)) {
                    return candidate.id();
                }
            }
        }
        throw new IllegalStateException("No open shard descends from " + shard);
    }

    List<Shard> openShards() {
        return shards.stream().filter(s -> !s.closed()).collect(Collectors.toList());
    }

    private List<String> keys() {
        return records.stream().map(Change::key).distinct().collect(Collectors.toList());
    }
}
