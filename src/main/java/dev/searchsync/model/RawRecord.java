package dev.searchsync.model;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * A record as its input read it, kept only on the failure side so a dead letter holds it whole and a redrive can
 * decode it again. JSON stays JSON (a dead letter embeds it, so {@code jq} reaches into it); other text stays text;
 * bytes are base64.
 */
public class RawRecord {
    private RawFormat format;
    private String data;

    public RawRecord() {}

    /** A record that is one JSON value, written exactly as {@code json}. */
    public static RawRecord json(String json) {
        return of(RawFormat.JSON, json);
    }

    /** A record of text that is not (or may not be) JSON. */
    public static RawRecord text(String text) {
        return of(RawFormat.TEXT, text);
    }

    /** A record of bytes. */
    public static RawRecord bytes(byte[] bytes) {
        return of(RawFormat.BASE64, Base64.getEncoder().encodeToString(bytes));
    }

    private static RawRecord of(RawFormat format, String data) {
        RawRecord out = new RawRecord();
        out.format = format;
        out.data = Objects.requireNonNull(data, "data");
        return out;
    }

    public RawFormat getFormat() {
        return format;
    }

    public void setFormat(RawFormat format) {
        this.format = format;
    }

    /** The JSON text, the text, or the base64 of the bytes. */
    public String getData() {
        return data;
    }

    public void setData(String data) {
        this.data = data;
    }

    /** The record's bytes: decoded from base64, or the UTF-8 of its text. */
    public byte[] toBytes() {
        return format == RawFormat.BASE64 ? Base64.getDecoder().decode(data) : data.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RawRecord)) {
            return false;
        }
        RawRecord that = (RawRecord) o;
        return format == that.format && Objects.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(format, data);
    }

    @Override
    public String toString() {
        return format + " record of " + (data == null ? 0 : data.length()) + " chars";
    }

    /** How {@link #getData()} holds the record. */
    public enum RawFormat {
        JSON,
        TEXT,
        BASE64
    }
}
