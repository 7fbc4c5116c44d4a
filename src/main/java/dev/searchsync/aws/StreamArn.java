package dev.searchsync.aws;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the parts of a DynamoDB stream ARN that the job needs: the region and the table name. */
public final class StreamArn {
    /** {@code arn:<partition>:dynamodb:<region>:<account>:table/<table>/stream/<label>}. */
    private static final Pattern ARN = Pattern.compile(
            "arn:(aws[a-z-]*):dynamodb:([a-z0-9-]+):(\\d{12}):table/([A-Za-z0-9_.-]{3,255})/stream/(\\S+)");

    public static final String EXPECTED_FORM = "arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>";

    private final String arn;
    private final String region;
    private final String tableName;

    private StreamArn(String arn, String region, String tableName) {
        this.arn = arn;
        this.region = region;
        this.tableName = tableName;
    }

    public static Optional<StreamArn> parse(String text) {
        Matcher matcher = ARN.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new StreamArn(text.trim(), matcher.group(2), matcher.group(4)));
    }

    public static boolean isValid(String text) {
        return parse(text).isPresent();
    }

    /** The table name of a stream ARN; the text itself when it is not one. */
    public static String tableNameOf(String streamArn) {
        return parse(streamArn).map(StreamArn::tableName).orElse(streamArn);
    }

    public String arn() {
        return arn;
    }

    public String region() {
        return region;
    }

    public String tableName() {
        return tableName;
    }

    @Override
    public String toString() {
        return arn;
    }
}
