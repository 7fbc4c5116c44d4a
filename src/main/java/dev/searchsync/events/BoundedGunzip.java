package dev.searchsync.events;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;

/** Decompresses gzip data without letting a small record (a gzip bomb) fill the task manager's heap. */
final class BoundedGunzip {
    private BoundedGunzip() {
    }

    static boolean isGzip(byte[] data) {
        return data.length >= 2 && data[0] == (byte) 0x1F && data[1] == (byte) 0x8B;
    }

    /**
     * The decompressed bytes (all members, for producers that append gzip members), stopping as soon as there are
     * more than {@code room}: a result longer than {@code room} means the data would not fit.
     */
    static byte[] gunzip(byte[] data, int room) throws IOException {
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
