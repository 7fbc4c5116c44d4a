package dev.searchsync.config;

import dev.searchsync.aws.AwsClientSettings.CredentialsProvider;
import dev.searchsync.aws.KinesisStreamArn;
import dev.searchsync.aws.StreamArn;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The keys of property group {@value #GROUP}: which stream to read (DynamoDB Streams or Kinesis) and how. */
public final class SourceOptions {
    public static final String GROUP = "source";

    /** The input kinds this version reads, as {@link #TYPE} names them. */
    public static final List<String> TYPES = List.of("dynamodb-streams", "kinesis", "cloudwatch-logs");

    public static final Option<String> TYPE = Option.of(GROUP, "type",
            ValueType.matching("one of " + String.join(", ", TYPES), TYPES::contains), TYPES.get(0),
            "The kind of input: dynamodb-streams (a table's changes), kinesis (JSON events in a Kinesis data"
                    + " stream) or cloudwatch-logs (log events a subscription filter writes to a Kinesis data"
                    + " stream). The input's operator uids derive from it (the DynamoDB Streams source keeps"
                    + " dynamodb-stream-source), so it must not change for a deployed job.");

    public static final Option<String> STREAM_ARN = Option.of(GROUP, "stream.arn",
            ValueType.matching("a DynamoDB stream ARN, " + StreamArn.EXPECTED_FORM + ", or a Kinesis stream ARN, "
                    + KinesisStreamArn.EXPECTED_FORM, arn -> StreamArn.isValid(arn) || KinesisStreamArn.isValid(arn)),
            null,
            "ARN of the stream to read: a DynamoDB stream (set this or table.name) or, with type=kinesis or"
                    + " cloudwatch-logs, a Kinesis data stream (set this or stream.name).");

    public static final Option<String> STREAM_NAME = Option.of(GROUP, "stream.name",
            ValueType.matching("a Kinesis stream name (1 to 128 of A-Z a-z 0-9 _ . -)",
                    name -> KinesisStreamArn.NAME.matcher(name).matches()),
            null,
            "Name of the Kinesis data stream to read, in aws.region; only with type=kinesis or cloudwatch-logs."
                    + " Set this or stream.arn, not both.");

    public static final Option<String> TABLE_NAME = Option.of(GROUP, "table.name",
            ValueType.matching("a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -)",
                    name -> name.matches("[A-Za-z0-9_.-]{3,255}")),
            null,
            "Table whose latest stream is read, looked up when the job starts; only with type=dynamodb-streams. Set"
                    + " this or stream.arn, not both.");

    public static final Option<String> REGION = Option.of(GROUP, "aws.region",
            ValueType.matching("an AWS region name such as eu-west-1", r -> r.matches("[a-z0-9-]+")), null,
            "AWS region of the stream. Default: the region in stream.arn, else the SDK's default region chain.");

    public static final Option<URI> ENDPOINT = Option.of(GROUP, "aws.endpoint", ValueType.httpUrl(), null,
            "Endpoint override for DynamoDB and DynamoDB Streams, or Kinesis, for a local emulator."
                    + " Default: the AWS endpoint of the region.");

    public static final Option<CredentialsProvider> CREDENTIALS = Option.of(GROUP, "aws.credentials.provider",
            ValueType.oneOf(CredentialsProvider.class), CredentialsProvider.DEFAULT,
            "DEFAULT uses the AWS SDK default chain (on MSF, the application's role); STATIC uses"
                    + " aws.access.key.id and aws.secret.access.key, meant for local emulators.");

    public static final Option<String> ACCESS_KEY_ID = Option.of(GROUP, "aws.access.key.id",
            ValueType.string("an access key id"), null,
            "Access key id, only with aws.credentials.provider=STATIC.");

    public static final Option<String> SECRET_ACCESS_KEY = Option.secret(GROUP, "aws.secret.access.key",
            ValueType.string("a secret access key"),
            "Secret access key, only with aws.credentials.provider=STATIC. Never logged.");

    public static final Option<StartPosition> START_POSITION = Option.of(GROUP, "start.position",
            ValueType.oneOf(StartPosition.class), StartPosition.TRIM_HORIZON,
            "Where the first run starts: TRIM_HORIZON (the oldest record kept: 24 h for DynamoDB Streams, the"
                    + " retention period for Kinesis), LATEST (only new records) or AT_TIMESTAMP (records written"
                    + " from start.timestamp on). Restores always resume from the checkpoint; shards found later"
                    + " always start at TRIM_HORIZON.");

    public static final Option<Long> START_TIMESTAMP = Option.of(GROUP, "start.timestamp",
            new ValueType<>("an ISO-8601 instant such as 2026-12-01T00:00:00Z") {
                private static final long serialVersionUID = 1L;

                @Override
                public Long parse(String text) {
                    try {
                        return Instant.parse(text.trim()).toEpochMilli();
                    } catch (DateTimeParseException e) {
                        throw new IllegalArgumentException(e);
                    }
                }

                @Override
                public String format(Long value) {
                    return Instant.ofEpochMilli(value).toString();
                }
            },
            null, "Where the first run starts with start.position=AT_TIMESTAMP (and only then).");

    public static final Option<Long> SHARD_DISCOVERY_INTERVAL = Option.of(GROUP, "shard.discovery.interval.ms",
            ValueType.positiveMillis(), 10_000L,
            "How often the shard list is read (DescribeStream, ListShards for Kinesis). A finished shard whose child is not known yet"
                    + " triggers an extra listing at once.");

    public static final Option<Long> POLL_INTERVAL = Option.of(GROUP, "poll.interval.ms",
            ValueType.positiveMillis(), 250L,
            "Pause before polling a shard again after an empty batch. A batch that returned records is followed at"
                    + " once, full or not (GetRecords also stops at 1 MB); throttled reads back off instead.");

    public static final Option<Long> IDLE_POLL_MAX_INTERVAL = Option.of(GROUP, "poll.idle.max.interval.ms",
            ValueType.positiveMillis(), 2_000L,
            "Longest pause between polls of an idle shard; with each empty batch in a row the pause doubles from"
                    + " poll.interval.ms up to this.");

    public static final Option<Integer> MAX_RECORDS_PER_POLL = Option.of(GROUP, "poll.max.records",
            ValueType.intInRange(1, 10_000), 1_000,
            "Records asked for per GetRecords call: DynamoDB Streams allows at most 1000 (and stops at 1 MB),"
                    + " Kinesis 10000 (and stops at 10 MB).");

    public static final Option<RecordFormat> RECORD_FORMAT = Option.of(GROUP, "record.format",
            ValueType.oneOf(RecordFormat.class), RecordFormat.AUTO,
            "How a Kinesis record's data holds its events: AUTO detects, per record, one JSON object,"
                    + " newline-delimited JSON or a JSON array; JSON, NDJSON and JSON_ARRAY insist on one of them."
                    + " Gzip-compressed data and KPL-aggregated records are recognised under any. Only with"
                    + " type=kinesis.");

    public static final Option<Integer> RECORD_MAX_DECODED_BYTES = Option.of(GROUP, "record.max.decoded.bytes",
            ValueType.intInRange(1_024, 268_435_456), 33_554_432,
            "Most bytes the gzip data of one Kinesis record may decompress to, all its KPL sub-records together;"
                    + " a record that would exceed it is a dead letter, so a compression bomb cannot exhaust the"
                    + " TaskManager's memory. Only with type=kinesis or cloudwatch-logs.");

    public static final Option<TrimmedDataPolicy> TRIMMED_DATA_POLICY = Option.of(GROUP, "trimmed.data.policy",
            ValueType.oneOf(TrimmedDataPolicy.class), TrimmedDataPolicy.FAIL,
            "When the position to resume from has aged out of the stream: FAIL stops the job naming the shard and"
                    + " position; RESTART_FROM_TRIM_HORIZON continues from the oldest record kept, counts it in"
                    + " trimmedDataRestarts and logs an error, retrying with a growing pause if that record ages out"
                    + " too; it never gives up a shard the stream still has, only one it no longer lists.");

    public static final Option<StreamChangePolicy> STREAM_CHANGE_POLICY = Option.of(GROUP, "stream.change.policy",
            ValueType.oneOf(StreamChangePolicy.class), StreamChangePolicy.FAIL,
            "When the snapshot restored was reading another stream than stream.arn (or table.name's stream) names"
                    + " now, because the table was recreated or its stream disabled and enabled again: FAIL stops the"
                    + " job naming both streams; RESTART_FROM_TRIM_HORIZON keeps the job's state, leaves the old"
                    + " stream's unread records behind and reads the new stream from its oldest record.");

    public static final Option<Long> THROTTLE_BACKOFF_BASE = Option.of(GROUP, "throttle.backoff.base.ms",
            ValueType.positiveMillis(), 200L,
            "First pause after a throttled read of a shard; doubles with each throttle in a row.");

    public static final Option<Long> THROTTLE_BACKOFF_MAX = Option.of(GROUP, "throttle.backoff.max.ms",
            ValueType.positiveMillis(), 10_000L, "Longest pause after throttled reads of a shard.");

    public static final List<Option<?>> ALL = List.of(TYPE, STREAM_ARN, STREAM_NAME, TABLE_NAME, REGION, ENDPOINT,
            CREDENTIALS, ACCESS_KEY_ID, SECRET_ACCESS_KEY, START_POSITION, START_TIMESTAMP, SHARD_DISCOVERY_INTERVAL,
            POLL_INTERVAL, IDLE_POLL_MAX_INTERVAL, MAX_RECORDS_PER_POLL, TRIMMED_DATA_POLICY, STREAM_CHANGE_POLICY,
            THROTTLE_BACKOFF_BASE, THROTTLE_BACKOFF_MAX, RECORD_FORMAT, RECORD_MAX_DECODED_BYTES);

    private SourceOptions() {}
}
