package dev.searchsync.config;

import dev.searchsync.aws.AwsClientSettings.CredentialsProvider;
import dev.searchsync.aws.StreamArn;

import java.net.URI;
import java.util.List;

/** The keys of property group {@value #GROUP}: which DynamoDB stream to read and how. */
public final class SourceOptions {
    public static final String GROUP = "source";

    /** The input kinds this version reads, as {@link #TYPE} names them. */
    public static final List<String> TYPES = List.of("dynamodb-streams");

    public static final Option<String> TYPE = Option.of(GROUP, "type",
            ValueType.matching("one of " + String.join(", ", TYPES), TYPES::contains), TYPES.get(0),
            "The kind of input: dynamodb-streams. The input's operator uids derive from it (the DynamoDB Streams"
                    + " source keeps dynamodb-stream-source), so it must not change for a deployed job.");

    public static final Option<String> STREAM_ARN = Option.of(GROUP, "stream.arn",
            ValueType.matching("a DynamoDB stream ARN, " + StreamArn.EXPECTED_FORM, StreamArn::isValid), null,
            "ARN of the DynamoDB stream to read. Set this or table.name, not both.");

    public static final Option<String> TABLE_NAME = Option.of(GROUP, "table.name",
            ValueType.matching("a DynamoDB table name (3 to 255 of A-Z a-z 0-9 _ . -)",
                    name -> name.matches("[A-Za-z0-9_.-]{3,255}")),
            null,
            "Table whose latest stream is read, looked up when the job starts. Set this or stream.arn, not both.");

    public static final Option<String> REGION = Option.of(GROUP, "aws.region",
            ValueType.matching("an AWS region name such as eu-west-1", r -> r.matches("[a-z0-9-]+")), null,
            "AWS region of the stream. Default: the region in stream.arn, else the SDK's default region chain.");

    public static final Option<URI> ENDPOINT = Option.of(GROUP, "aws.endpoint", ValueType.httpUrl(), null,
            "Endpoint override for DynamoDB and DynamoDB Streams, for a local emulator such as moto."
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
            "Where the first run starts: TRIM_HORIZON (the oldest record kept, up to 24 h) or LATEST (only new"
                    + " changes). Restores always resume from the checkpoint; shards found later always start at"
                    + " TRIM_HORIZON.");

    public static final Option<Long> SHARD_DISCOVERY_INTERVAL = Option.of(GROUP, "shard.discovery.interval.ms",
            ValueType.positiveMillis(), 10_000L,
            "How often the shard list is read (DescribeStream). A finished shard whose child is not known yet"
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
            ValueType.intInRange(1, 1_000), 1_000,
            "Records asked for per GetRecords call (the service allows at most 1000, and stops at 1 MB).");

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

    public static final List<Option<?>> ALL = List.of(TYPE, STREAM_ARN, TABLE_NAME, REGION, ENDPOINT, CREDENTIALS,
            ACCESS_KEY_ID, SECRET_ACCESS_KEY, START_POSITION, SHARD_DISCOVERY_INTERVAL, POLL_INTERVAL,
            IDLE_POLL_MAX_INTERVAL, MAX_RECORDS_PER_POLL, TRIMMED_DATA_POLICY, STREAM_CHANGE_POLICY,
            THROTTLE_BACKOFF_BASE, THROTTLE_BACKOFF_MAX);

    private SourceOptions() {}
}
