package dev.searchsync.source.fake;

/** One record of a {@link FakeStream}: the shard it was written to, its payload, and its stream position. */
public record FakeRecord(String shardId, String key, String value, String sequenceNumber, long arrivalMillis) {}
