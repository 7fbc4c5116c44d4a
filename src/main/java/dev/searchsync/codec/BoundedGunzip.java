package dev.searchsync.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/**
 * Decompresses gzip data without letting a small record (a gzip bomb) fill the task manager's heap; shared by the
 * inputs whose records may be gzip (Kinesis events, CloudWatch Logs), so it belongs to neither.
 */
public final class BoundedGunzip {
    private BoundedGunzip() {
    }

    /** True when {@code data} starts with the gzip magic number. */
    public static boolean isGzip(byte[] data) {
        return data.length >= 2 && data[0] == (byte) 0x1F && data[1] == (byte) 0x8B;
    }

    /**
     * The decompressed bytes (all members, for producers that append gzip members), stopping as soon as there are
     * more than {@code room}: a result longer than {@code room} means the data would not fit.
     */
    public static byte[] gunzip(byte[] data, int room) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(room + 1L, data.length * 4L + 1));
            byte[] buffer = new byte[8192];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                if (out.size() > room) {
                    break;
                }
            }
            return out.toByteArray();
        }
    }
}
