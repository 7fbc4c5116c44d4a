package dev.searchsync.events;

import dev.searchsync.config.RecordFormat;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.searchsync.model.UndecodableRecordException;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/** Reads the JSON events of one (sub-)record's bytes in a {@link RecordFormat}, keeping each object's own bytes. */
final class JsonEvents {
    /** Exact numbers: the document must index the producer's decimal text, not a double's approximation of it. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final byte[] data;
    private final RecordFormat format;
    private final int subRecord;
    private final String partitionKey;
    private final List<DecodedEvent> out;
    /** What is being read, for the message if it fails. */
    private String reading;
    /** Where the parser starts in {@code data}: Jackson counts its byte offsets from there, past a BOM. */
    private int base;

    private JsonEvents(byte[] data, RecordFormat format, int subRecord, String partitionKey, List<DecodedEvent> out) {
        this.data = data;
        this.format = format;
        this.subRecord = subRecord;
        this.partitionKey = partitionKey;
        this.out = out;
    }

    /**
     * Appends the events of {@code data} to {@code out}, numbering their ordinals on from its size. Messages name
     * positions and byte offsets only, never values: events can hold personal data, and messages reach dead letters
     * and logs.
     */
    static void read(byte[] data, RecordFormat format, int subRecord, String partitionKey, List<DecodedEvent> out)
            throws UndecodableRecordException {
        new JsonEvents(data, format, subRecord, partitionKey, out).read();
    }

    private void read() throws UndecodableRecordException {
        base = hasUtf8Bom(data) ? 3 : 0;
        rejectUtf16And32();
        reading = "the data";
        try (JsonParser parser = MAPPER.getFactory().createParser(data, base, data.length - base)) {
            JsonToken first = parser.nextToken();
            if (format == RecordFormat.JSON_ARRAY || format == RecordFormat.AUTO && first == JsonToken.START_ARRAY) {
                readArray(parser, first);
            } else {
                readSequence(parser, first);
            }
        } catch (StreamConstraintsException e) {
            // Its message states the limit and the length that broke it, nothing of the content.
            throw new UndecodableRecordException(reading + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            // Jackson's own message can quote the offending token, which may be personal data: only the place.
            throw new UndecodableRecordException(reading + ": invalid JSON " + at(e.getLocation()));
        } catch (IOException e) {
            throw new IllegalStateException("reading a byte array cannot fail on I/O", e);
        }
    }

    private void readArray(JsonParser parser, JsonToken first) throws IOException, UndecodableRecordException {
        if (first != JsonToken.START_ARRAY) {
            throw new UndecodableRecordException("format JSON_ARRAY expects one array of objects, but the data "
                    + (first == null ? "is empty" : "starts with " + describe(first) + " " + at(parser)));
        }
        int position = 0;
        reading = "event at position " + position;
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            event(parser, token, position);
            position++;
            reading = "event at position " + position;
        }
        reading = "the data after the array";
        if (parser.nextToken() != null) {
            throw new UndecodableRecordException("the data goes on after the array " + at(parser));
        }
    }

    private void readSequence(JsonParser parser, JsonToken first) throws IOException, UndecodableRecordException {
        if (format == RecordFormat.JSON && first == null) {
            throw new UndecodableRecordException("format JSON expects one object, but the data is empty");
        }
        int position = 0;
        for (JsonToken token = first; token != null; ) {
            event(parser, token, position);
            position++;
            if (format == RecordFormat.JSON) {
                reading = "the data after the object";
                if (parser.nextToken() != null) {
                    throw new UndecodableRecordException("format JSON expects exactly one object, but the data goes "
                            + "on after it " + at(parser));
                }
                return;
            }
            reading = "event at position " + position;
            token = parser.nextToken();
        }
    }

    private void event(JsonParser parser, JsonToken token, int position)
            throws IOException, UndecodableRecordException {
        reading = "event at position " + position;
        if (token != JsonToken.START_OBJECT) {
            throw new UndecodableRecordException("event at position " + position + " " + at(parser) + " is "
                    + describe(token) + ", not a JSON object");
        }
        int begin = base + (int) parser.currentTokenLocation().getByteOffset();
        ObjectNode json = (ObjectNode) MAPPER.readTree(parser);
        int end = base + (int) parser.currentLocation().getByteOffset();
        byte[] document = Arrays.copyOfRange(data, begin, end);
        out.add(new DecodedEvent(subRecord, position, out.size(), partitionKey, json, document));
    }

    private static boolean hasUtf8Bom(byte[] data) {
        return data.length >= 3 && data[0] == (byte) 0xEF && data[1] == (byte) 0xBB && data[2] == (byte) 0xBF;
    }

    /**
     * Jackson would detect UTF-16 or UTF-32 and decode it, but then its byte offsets no longer slice the data
     * into UTF-8 documents; JSON between systems is UTF-8 (RFC 8259), so such data is refused here.
     */
    private void rejectUtf16And32() throws UndecodableRecordException {
        if (data.length - base >= 2 && (data[base] == (byte) 0xFE && data[base + 1] == (byte) 0xFF
                || data[base] == (byte) 0xFF && data[base + 1] == (byte) 0xFE)) {
            throw new UndecodableRecordException("the data starts with a UTF-16 byte order mark; JSON must be UTF-8");
        }
        for (int i = base; i < Math.min(data.length, base + 4); i++) {
            if (data[i] == 0) {
                throw new UndecodableRecordException("the data has a zero byte at offset " + i
                        + ", as UTF-16 or UTF-32 would; JSON must be UTF-8");
            }
        }
    }

    private static String describe(JsonToken token) {
        switch (token) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.name();
        }
    }

    private String at(JsonParser parser) {
        return at(parser.currentTokenLocation());
    }

    /** Offsets count from the start of the (decompressed) data, BOM included, as a reader of the dead letter sees it. */
    private String at(JsonLocation location) {
        if (location == null || location.getByteOffset() < 0) {
            return "(offset unknown)";
        }
        return "at byte offset " + (base + location.getByteOffset());
    }
}
