package dev.searchsync.aws;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the parts of a Kinesis data stream ARN that the job needs: the region and the stream name. */
public final class KinesisStreamArn {
    /** {@code arn:<partition>:kinesis:<region>:<account>:stream/<name>}. */
    private static final Pattern ARN = Pattern.compile(
            "arn:(aws[a-z-]*):kinesis:([a-z0-9-]+):(\\d{12}):stream/([A-Za-z0-9_.-]{1,128})");

    public static final String EXPECTED_FORM = "arn:aws:kinesis:<region>:<account>:stream/<name>";

    /** What a Kinesis stream name may be. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private final String arn;
    private final String region;
    private final String streamName;

    private KinesisStreamArn(String arn, String region, String streamName) {
        this.arn = arn;
        this.region = region;
        this.streamName = streamName;
    }

    public static Optional<KinesisStreamArn> parse(String text) {
        Matcher matcher = ARN.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new KinesisStreamArn(text.trim(), matcher.group(2), matcher.group(4)));
    }

    public static boolean isValid(String text) {
        return parse(text).isPresent();
    }

    public String arn() {
        return arn;
    }

    public String region() {
        return region;
    }

    public String streamName() {
        return streamName;
    }

    @Override
    public String toString() {
        return arn;
    }
}
