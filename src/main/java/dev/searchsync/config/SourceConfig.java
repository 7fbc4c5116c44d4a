package dev.searchsync.config;

import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.aws.AwsClientSettings.CredentialsProvider;
import dev.searchsync.aws.KinesisStreamArn;
import dev.searchsync.aws.StreamArn;
import dev.searchsync.aws.StreamReference;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/** The validated settings of the input: which stream, and how to read it. */
public final class SourceConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The DynamoDB Streams input's kind, as {@link SourceOptions#TYPE} names it. */
    public static final String DYNAMODB_STREAMS = "dynamodb-streams";
    /** The Kinesis Data Streams input's kind. */
    public static final String KINESIS = "kinesis";
    /** The CloudWatch Logs input's kind: a log group's subscription filter writing to a Kinesis stream. */
    public static final String CLOUDWATCH_LOGS = "cloudwatch-logs";

    private final String type;
    private final StreamReference stream;
    private final String kinesisStream;
    private final String inputName;
    private final AwsClientSettings aws;
    private final ShardSourceSettings settings;
    private final RecordFormat recordFormat;
    private final int maxDecodedBytes;

    private SourceConfig(String type, StreamReference stream, String kinesisStream, String inputName,
            AwsClientSettings aws, ShardSourceSettings settings, RecordFormat recordFormat, int maxDecodedBytes) {
        this.type = type;
        this.stream = stream;
        this.kinesisStream = kinesisStream;
        this.inputName = inputName;
        this.aws = aws;
        this.settings = settings;
        this.recordFormat = recordFormat;
        this.maxDecodedBytes = maxDecodedBytes;
    }

    /** Reads and checks group {@value SourceOptions#GROUP}; problems go to {@code reader}, and null comes back. */
    static SourceConfig read(ConfigReader reader) {
        String type = reader.value(SourceOptions.TYPE);
        // Both read a Kinesis data stream: the JSON-events input and CloudWatch Logs through a subscription filter.
        boolean kinesis = readsKinesis(type);
        String arn = reader.value(SourceOptions.STREAM_ARN);
        String table = reader.value(SourceOptions.TABLE_NAME);
        String streamName = reader.value(SourceOptions.STREAM_NAME);
        String nameKey = kinesis ? "stream.name" : "table.name";
        Option<String> nameOption = kinesis ? SourceOptions.STREAM_NAME : SourceOptions.TABLE_NAME;
        Option<String> otherName = kinesis ? SourceOptions.TABLE_NAME : SourceOptions.STREAM_NAME;
        boolean arnSet = reader.isSet(SourceOptions.STREAM_ARN);
        boolean nameSet = reader.isSet(nameOption);
        if (reader.isSet(otherName)) {
            reader.problem(otherName, "expected nothing: it applies only to source/type="
                    + (kinesis ? DYNAMODB_STREAMS : KINESIS + " or " + CLOUDWATCH_LOGS) + ", and source/type is "
                    + type);
        }
        if (!arnSet && !nameSet) {
            reader.problem(SourceOptions.GROUP, kinesis
                    ? "no stream given, expected key 'stream.arn' (a Kinesis stream ARN) or key 'stream.name'"
                    : "no stream given, expected key 'stream.arn' (a DynamoDB stream ARN) or key 'table.name'"
                            + " (a table with a stream)");
        } else if (arnSet && nameSet) {
            reader.problem(SourceOptions.GROUP, "both 'stream.arn' and '" + nameKey + "' are set, expected exactly"
                    + " one");
        }
        if (arn != null && kinesis && !KinesisStreamArn.isValid(arn)) {
            reader.problem(SourceOptions.STREAM_ARN, "expected a Kinesis stream ARN, " + KinesisStreamArn.EXPECTED_FORM
                    + ", with source/type=" + type);
            arn = null;
        } else if (arn != null && !kinesis && !StreamArn.isValid(arn)) {
            reader.problem(SourceOptions.STREAM_ARN, "expected a DynamoDB stream ARN, " + StreamArn.EXPECTED_FORM
                    + ", with source/type=" + type + " (set source/type=kinesis for a Kinesis stream)");
            arn = null;
        }
        if (!KINESIS.equals(type) && reader.isSet(SourceOptions.RECORD_FORMAT)) {
            reader.problem(SourceOptions.RECORD_FORMAT, "expected nothing: it applies only to source/type=kinesis,"
                    + " and source/type is " + type);
        }
        if (!kinesis && reader.isSet(SourceOptions.RECORD_MAX_DECODED_BYTES)) {
            reader.problem(SourceOptions.RECORD_MAX_DECODED_BYTES, "expected nothing: it applies only to"
                    + " source/type=kinesis or cloudwatch-logs, and source/type is " + type);
        }
        if (!kinesis) {
            Optional<Integer> maxRecords = reader.get(SourceOptions.MAX_RECORDS_PER_POLL);
            if (maxRecords.isPresent() && maxRecords.get() > 1_000) {
                reader.problem(SourceOptions.MAX_RECORDS_PER_POLL, "expected at most 1000, the most DynamoDB Streams"
                        + " returns per GetRecords call");
            }
        }
        StartPosition startPosition = reader.value(SourceOptions.START_POSITION);
        boolean timestampSet = reader.isSet(SourceOptions.START_TIMESTAMP);
        if (startPosition == StartPosition.AT_TIMESTAMP && !timestampSet) {
            reader.problem(SourceOptions.START_TIMESTAMP, "expected an ISO-8601 instant with"
                    + " start.position=AT_TIMESTAMP");
        } else if (startPosition != null && startPosition != StartPosition.AT_TIMESTAMP && timestampSet) {
            reader.problem(SourceOptions.START_TIMESTAMP, "expected nothing unless start.position=AT_TIMESTAMP"
                    + " (it is " + startPosition + ")");
        }

        String arnRegion = arn == null ? null : kinesis
                ? KinesisStreamArn.parse(arn).map(KinesisStreamArn::region).orElse(null)
                : StreamArn.parse(arn).map(StreamArn::region).orElse(null);
        String region = reader.get(SourceOptions.REGION).orElse(arnRegion);
        CredentialsProvider credentials = reader.value(SourceOptions.CREDENTIALS);
        String accessKey = reader.value(SourceOptions.ACCESS_KEY_ID);
        String secretKey = reader.value(SourceOptions.SECRET_ACCESS_KEY);
        if (credentials == CredentialsProvider.STATIC) {
            if (accessKey == null) {
                reader.problem(SourceOptions.ACCESS_KEY_ID, "expected an access key id with"
                        + " aws.credentials.provider=STATIC");
            }
            if (secretKey == null) {
                reader.problem(SourceOptions.SECRET_ACCESS_KEY, "expected a secret access key with"
                        + " aws.credentials.provider=STATIC");
            }
        } else if (reader.isSet(SourceOptions.ACCESS_KEY_ID) || reader.isSet(SourceOptions.SECRET_ACCESS_KEY)) {
            reader.problem(SourceOptions.GROUP, "a key pair is set but aws.credentials.provider is DEFAULT,"
                    + " expected aws.credentials.provider=STATIC with a key pair, or no key pair");
        }

        long pollInterval = reader.value(SourceOptions.POLL_INTERVAL);
        long idleMax = reader.value(SourceOptions.IDLE_POLL_MAX_INTERVAL);
        if (reader.isSet(SourceOptions.IDLE_POLL_MAX_INTERVAL) && idleMax < pollInterval) {
            reader.problem(SourceOptions.IDLE_POLL_MAX_INTERVAL,
                    "expected at least poll.interval.ms (" + pollInterval + ")");
        }
        long backoffBase = reader.value(SourceOptions.THROTTLE_BACKOFF_BASE);
        long backoffMax = reader.value(SourceOptions.THROTTLE_BACKOFF_MAX);
        if (reader.isSet(SourceOptions.THROTTLE_BACKOFF_MAX) && backoffMax < backoffBase) {
            reader.problem(SourceOptions.THROTTLE_BACKOFF_MAX,
                    "expected at least throttle.backoff.base.ms (" + backoffBase + ")");
        }

        ShardSourceSettings settings = new ShardSourceSettings(
                startPosition == null ? StartPosition.TRIM_HORIZON : startPosition,
                reader.value(SourceOptions.SHARD_DISCOVERY_INTERVAL),
                pollInterval,
                idleMax,
                reader.value(SourceOptions.MAX_RECORDS_PER_POLL),
                reader.value(SourceOptions.TRIMMED_DATA_POLICY),
                backoffBase,
                backoffMax,
                reader.value(SourceOptions.STREAM_CHANGE_POLICY));
        Optional<Long> startTimestamp = reader.get(SourceOptions.START_TIMESTAMP);
        if (startPosition == StartPosition.AT_TIMESTAMP && startTimestamp.isPresent()) {
            settings = settings.withStartTimestamp(startTimestamp.get());
        }
        AwsClientSettings aws = new AwsClientSettings(region, reader.value(SourceOptions.ENDPOINT), credentials,
                accessKey, secretKey);
        if (kinesis) {
            String stream = arn != null ? arn : streamName;
            String name = arn != null ? KinesisStreamArn.parse(arn).map(KinesisStreamArn::streamName).orElse(arn)
                    : streamName;
            return new SourceConfig(type, null, stream, name, aws, settings, reader.value(SourceOptions.RECORD_FORMAT),
                    reader.value(SourceOptions.RECORD_MAX_DECODED_BYTES));
        }
        StreamReference stream = arn != null ? StreamReference.ofArn(arn) : StreamReference.ofTable(table);
        String name = table != null ? table : arn == null ? null : StreamArn.tableNameOf(arn);
        return new SourceConfig(type, stream, null, name, aws, settings, reader.value(SourceOptions.RECORD_FORMAT),
                reader.value(SourceOptions.RECORD_MAX_DECODED_BYTES));
    }

    /** True for the inputs that read a Kinesis data stream. */
    public static boolean readsKinesis(String type) {
        return KINESIS.equals(type) || CLOUDWATCH_LOGS.equals(type);
    }

    /** The kind of input, one of {@link SourceOptions#TYPES}. */
    public String type() {
        return type;
    }

    /** The DynamoDB stream (its ARN or its table); null for a Kinesis input. */
    public StreamReference stream() {
        return stream;
    }

    /** The Kinesis stream, as its ARN or its name; null for a DynamoDB input. */
    public String kinesisStream() {
        return kinesisStream;
    }

    /** What names the input in documents' origins, metrics and the job name: the table or the Kinesis stream. */
    public String inputName() {
        return inputName;
    }

    /** How a Kinesis record holds its events. */
    public RecordFormat recordFormat() {
        return recordFormat;
    }

    /** Most bytes a Kinesis record may decompress to. */
    public int maxDecodedBytes() {
        return maxDecodedBytes;
    }

    public AwsClientSettings aws() {
        return aws;
    }

    public ShardSourceSettings settings() {
        return settings;
    }

    @Override
    public String toString() {
        return "SourceConfig{type=" + type + ", stream=" + (stream != null ? stream : kinesisStream) + ", aws=" + aws
                + ", " + settings + (readsKinesis(type) ? ", recordFormat=" + recordFormat + ", maxDecodedBytes="
                + maxDecodedBytes : "") + '}';
    }
}
