package dev.searchsync.aws;

import java.io.Serializable;

/** Names the stream to read: its ARN, or a table whose latest stream is looked up when the job starts. */
public final class StreamReference implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String streamArn;
    private final String tableName;

    private StreamReference(String streamArn, String tableName) {
        this.streamArn = streamArn;
        this.tableName = tableName;
    }

    public static StreamReference ofArn(String streamArn) {
        return new StreamReference(streamArn, null);
    }

    public static StreamReference ofTable(String tableName) {
        return new StreamReference(null, tableName);
    }

    /** The ARN, or null when the stream is named by its table. */
    public String streamArn() {
        return streamArn;
    }

    /** The table, or null when the stream is named by its ARN. */
    public String tableName() {
        return tableName;
    }

    @Override
    public String toString() {
        return streamArn != null ? streamArn : "latest stream of table " + tableName;
    }
}
