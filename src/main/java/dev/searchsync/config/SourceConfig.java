package dev.searchsync.config;

import dev.searchsync.aws.AwsClientSettings;
import dev.searchsync.aws.AwsClientSettings.CredentialsProvider;
import dev.searchsync.aws.StreamArn;
import dev.searchsync.aws.StreamReference;

import java.io.Serializable;

/** The validated settings of the DynamoDB Streams source. */
public final class SourceConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String type;
    private final StreamReference stream;
    private final AwsClientSettings aws;
    private final ShardSourceSettings settings;

    SourceConfig(String type, StreamReference stream, AwsClientSettings aws, ShardSourceSettings settings) {
        this.type = type;
        this.stream = stream;
        this.aws = aws;
        this.settings = settings;
    }

    /** Reads and checks group {@value SourceOptions#GROUP}; problems go to {@code reader}, and null comes back. */
    static SourceConfig read(ConfigReader reader) {
        String arn = reader.value(SourceOptions.STREAM_ARN);
        String table = reader.value(SourceOptions.TABLE_NAME);
        boolean arnSet = reader.isSet(SourceOptions.STREAM_ARN);
        boolean tableSet = reader.isSet(SourceOptions.TABLE_NAME);
        if (!arnSet && !tableSet) {
            reader.problem(SourceOptions.GROUP, "no stream given, expected key 'stream.arn' (a DynamoDB stream ARN)"
                    + " or key 'table.name' (a table with a stream)");
        } else if (arnSet && tableSet) {
            reader.problem(SourceOptions.GROUP, "both 'stream.arn' and 'table.name' are set, expected exactly one");
        }

        String region = reader.get(SourceOptions.REGION)
                .orElse(arn == null ? null : StreamArn.parse(arn).map(StreamArn::region).orElse(null));
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
                reader.value(SourceOptions.START_POSITION),
                reader.value(SourceOptions.SHARD_DISCOVERY_INTERVAL),
                pollInterval,
                idleMax,
                reader.value(SourceOptions.MAX_RECORDS_PER_POLL),
                reader.value(SourceOptions.TRIMMED_DATA_POLICY),
                backoffBase,
                backoffMax,
                reader.value(SourceOptions.STREAM_CHANGE_POLICY));
        StreamReference stream = arn != null ? StreamReference.ofArn(arn) : StreamReference.ofTable(table);
        return new SourceConfig(reader.value(SourceOptions.TYPE), stream, new AwsClientSettings(region,
                reader.value(SourceOptions.ENDPOINT), credentials, accessKey, secretKey), settings);
    }

    /** The kind of input, one of {@link SourceOptions#TYPES}. */
    public String type() {
        return type;
    }

    public StreamReference stream() {
        return stream;
    }

    public AwsClientSettings aws() {
        return aws;
    }

    public ShardSourceSettings settings() {
        return settings;
    }

    @Override
    public String toString() {
        return "SourceConfig{type=" + type + ", stream=" + stream + ", aws=" + aws + ", " + settings + '}';
    }
}
