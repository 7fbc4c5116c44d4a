package dev.searchsync.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Epoch milliseconds written as ISO-8601 UTC text, which an operator reads at a glance, and read back exactly;
 * 0 (unknown) is written as null. A number is read as milliseconds too.
 */
public final class IsoMillis {
    private IsoMillis() {}

    /** {@code @JsonSerialize(using = IsoMillis.Serializer.class)} on a {@code long} property. */
    public static final class Serializer extends JsonSerializer<Long> {
        @Override
        public void serialize(Long value, JsonGenerator gen, SerializerProvider serializers) throws IOException {
            if (value == null || value == 0) {
                gen.writeNull();
            } else {
                gen.writeString(Instant.ofEpochMilli(value).toString());
            }
        }
    }

    /** The reading side of {@link Serializer}. */
    public static final class Deserializer extends JsonDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return p.getLongValue();
            }
            try {
                return Instant.parse(p.getText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                return (Long) ctxt.handleWeirdStringValue(Long.class, p.getText(),
                        "expected an ISO-8601 instant such as 2026-11-30T08:15:00.123Z");
            }
        }

        @Override
        public Long getNullValue(DeserializationContext ctxt) {
            return 0L;
        }
    }
}
