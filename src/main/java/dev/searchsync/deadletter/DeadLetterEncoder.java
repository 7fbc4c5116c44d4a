package dev.searchsync.deadletter;

import org.apache.flink.api.common.serialization.Encoder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes each dead letter as one line of UTF-8 JSON ({@link DeadLetterJson}) ended by {@code \n}. */
public final class DeadLetterEncoder implements Encoder<DeadLetter> {
    private static final long serialVersionUID = 1L;

    @Override
    public void encode(DeadLetter letter, OutputStream stream) throws IOException {
        stream.write(line(letter));
    }

    /** The letter's line, line break included. */
    static byte[] line(DeadLetter letter) {
        return (DeadLetterJson.write(letter) + '\n').getBytes(StandardCharsets.UTF_8);
    }
}
