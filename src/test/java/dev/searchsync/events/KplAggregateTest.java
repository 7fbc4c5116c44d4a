package dev.searchsync.events;

import dev.searchsync.config.RecordFormat;
import dev.searchsync.model.UndecodableRecordException;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static dev.searchsync.events.KplRecords.aggregate;
import static dev.searchsync.events.KplRecords.concat;
import static dev.searchsync.events.KplRecords.frame;
import static dev.searchsync.events.KplRecords.gzip;
import static dev.searchsync.events.KplRecords.message;
import static dev.searchsync.events.KplRecords.record;
import static dev.searchsync.events.KplRecords.utf8;
import static dev.searchsync.events.KplRecords.write;
import static dev.searchsync.events.RecordDecoderTest.summary;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** KPL aggregated records built to the documented format: sub-records, their keys, and the broken ones. */
class KplAggregateTest {
    private static final int LIMIT = 1 << 20;

    @Test
    void manySubRecordsShareOnePartitionKeyTable() throws Exception {
        // Five sub-records, three keys: each key once in the table, as the KPL writes it.
        byte[] data = frame(message(List.of("user-a", "user-b", "user-c"), new long[] {0, 1, 0, 2, 1}, List.of(
                utf8("{\"n\":0}"),
                utf8("{\"n\":1}\n{\"n\":2}\n"),
                utf8("[{\"n\":3},{\"n\":4},{\"n\":5}]"),
                utf8("  \n"),
                utf8("{\"n\":6}"))));

        List<DecodedEvent> events = decoder(RecordFormat.AUTO).decode(data);

        assertThat(summary(events)).containsExactly(
                "0/0/0 {\"n\":0}",
                "1/0/1 {\"n\":1}", "1/1/2 {\"n\":2}",
                "2/0/3 {\"n\":3}", "2/1/4 {\"n\":4}", "2/2/5 {\"n\":5}",
                "4/0/6 {\"n\":6}");
        assertThat(events).extracting(DecodedEvent::partitionKey).containsExactly(
                "user-a", "user-b", "user-b", "user-a", "user-a", "user-a", "user-b");
    }

    @Test
    void theTestBuilderSharesKeysLikeTheKpl() throws Exception {
        byte[] built = aggregate(List.of("a", "b", "a"), List.of(utf8("{}"), utf8("{}"), utf8("{}")));
        byte[] byHand = frame(message(List.of("a", "b"), new long[] {0, 1, 0}, List.of(utf8("{}"), utf8("{}"),
                utf8("{}"))));

        assertThat(built).isEqualTo(byHand);
    }

    @Test
    void gzippedNdjsonInsideSubRecords() throws Exception {
        byte[] data = aggregate(List.of("k1", "k2", "k1"), List.of(
                gzip("{\"n\":0}\r\n{\"n\":1}\r\n"),
                utf8("{\"n\":2}"),
                concat(gzip("{\"n\":3}\n"), gzip("{\"n\":4}"))));

        List<DecodedEvent> events = decoder(RecordFormat.NDJSON).decode(data);

        assertThat(summary(events)).containsExactly(
                "0/0/0 {\"n\":0}", "0/1/1 {\"n\":1}",
                "1/0/2 {\"n\":2}",
                "2/0/3 {\"n\":3}", "2/1/4 {\"n\":4}");
        assertThat(events).extracting(DecodedEvent::partitionKey).containsExactly("k1", "k1", "k2", "k1", "k1");
    }

    @Test
    void numbersAndUnicodeStayExactInsideSubRecords() throws Exception {
        String object = "{\"price\":1.10,\"big\":12345678901234567890123,\"huge\":1e400,\"name\":\"Zoë 😀\"}";

        List<DecodedEvent> events = decoder(RecordFormat.JSON)
                .decode(aggregate(List.of("ü-key", "ü-key"), List.of(utf8(object), gzip(object))));

        assertThat(events).hasSize(2);
        for (DecodedEvent event : events) {
            assertThat(event.documentUtf8()).isEqualTo(utf8(object));
            assertThat(event.json().get("price").decimalValue().toString()).isEqualTo("1.10");
            assertThat(event.partitionKey()).isEqualTo("ü-key");
        }
    }

    @Test
    void fieldsTheDecoderDoesNotNeedAreSkippedWhereverTheyStand() throws Exception {
        // Records before the key table, an explicit hash key table and index, tags, and fields of a newer format.
        byte[] recordWithExtras = write(out -> {
            out.writeUInt64(2, 0);
            out.writeByteArray(3, utf8("{\"n\":0}"));
            out.writeByteArray(4, write(tag -> {
                tag.writeString(1, "tag-key");
                tag.writeString(2, "tag-value");
            }));
            out.writeFixed64(15, 7);
            out.writeUInt64(1, 1);
        });
        byte[] message = write(out -> {
            out.writeByteArray(3, recordWithExtras);
            out.writeString(2, "340282366920938463463374607431768211455");
            out.writeString(1, "first");
            out.writeUInt32(9, 42);
            out.writeString(1, "second");
            out.writeByteArray(3, record(0, utf8("{\"n\":1}")));
        });

        List<DecodedEvent> events = decoder(RecordFormat.AUTO).decode(frame(message));

        assertThat(summary(events)).containsExactly("0/0/0 {\"n\":0}", "1/0/1 {\"n\":1}");
        assertThat(events).extracting(DecodedEvent::partitionKey).containsExactly("second", "first");
    }

    @Test
    void anAggregateWithoutRecordsHoldsNoEvent() throws Exception {
        assertThat(decoder(RecordFormat.AUTO).decode(aggregate(List.of(), List.of()))).isEmpty();
    }

    @Test
    void aWrongDigestIsAnError() {
        byte[] data = aggregate(List.of("k"), List.of(utf8("{\"n\":0}")));
        byte[] wrongDigest = data.clone();
        wrongDigest[data.length - 1] ^= 1;
        byte[] changedMessage = data.clone();
        changedMessage[10] ^= 1;

        for (byte[] broken : List.of(wrongDigest, changedMessage)) {
            assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(broken))
                    .isInstanceOf(UndecodableRecordException.class)
                    .hasMessage("KPL aggregated record: MD5 digest does not match the protobuf message ("
                            + (data.length - 20) + " bytes)");
        }
    }

    @Test
    void aRecordCutShortIsAnError() {
        byte[] data = aggregate(List.of("k"), List.of(utf8("{\"n\":0}")));

        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(Arrays.copyOf(data, data.length - 5)))
                .hasMessageStartingWith("KPL aggregated record: MD5 digest does not match");
        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(Arrays.copyOf(data, 12)))
                .hasMessage("KPL aggregated record: 12 bytes, too short for the magic number and the MD5 digest "
                        + "(20 bytes)");
    }

    @Test
    void aTruncatedProtobufMessageIsAnErrorEvenWithItsOwnDigest() {
        byte[] message = message(List.of("k"), new long[] {0}, List.of(utf8("{\"n\":0}")));
        byte[] truncated = Arrays.copyOf(message, message.length - 3);

        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(frame(truncated)))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessageStartingWith("KPL aggregated record: invalid protobuf message: ")
                .hasMessageContaining("truncated");
    }

    @Test
    void aPartitionKeyIndexOutsideTheTableIsAnError() {
        byte[] pastTheEnd = frame(message(List.of("a", "b"), new long[] {1, 2},
                List.of(utf8("{}"), utf8("{}"))));
        byte[] hugeUnsigned = frame(message(List.of("a"), new long[] {-1L}, List.of(utf8("{}"))));

        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(pastTheEnd))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("KPL aggregated record: sub-record 1 has partition_key_index 2, but the partition key "
                        + "table has 2 entries");
        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(hugeUnsigned))
                .hasMessage("KPL aggregated record: sub-record 0 has partition_key_index 18446744073709551615, "
                        + "but the partition key table has 1 entries");
    }

    @Test
    void aSubRecordWithoutItsRequiredFieldsIsAnError() {
        byte[] noData = frame(write(out -> {
            out.writeString(1, "k");
            out.writeByteArray(3, write(r -> r.writeUInt64(1, 0)));
        }));
        byte[] noKeyIndex = frame(write(out -> {
            out.writeString(1, "k");
            out.writeByteArray(3, record(0, utf8("{}")));
            out.writeByteArray(3, write(r -> r.writeByteArray(3, utf8("{}"))));
        }));

        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(noData))
                .hasMessage("KPL aggregated record: sub-record 0 has no data (a required field)");
        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(noKeyIndex))
                .hasMessage("KPL aggregated record: sub-record 1 has no partition_key_index (a required field)");
    }

    @Test
    void aKnownFieldOfTheWrongWireTypeIsAnError() {
        byte[] data = frame(write(out -> {
            out.writeUInt64(1, 5);
            out.writeByteArray(3, record(0, utf8("{}")));
        }));

        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(data))
                .hasMessage("KPL aggregated record: invalid protobuf message: "
                        + "AggregatedRecord.partition_key_table has wire type 0, expected 2");
    }

    @Test
    void aBadEventNamesItsSubRecord() {
        byte[] data = aggregate(List.of("k", "k", "k"), List.of(
                utf8("{}"), utf8("{}"), utf8("{\"a\":1}\n{\"b\":secret}")));

        assertThatThrownBy(() -> decoder(RecordFormat.NDJSON).decode(data))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("KPL sub-record 2 of 3: event at position 1: invalid JSON at byte offset 20");
    }

    @Test
    void aBrokenGzipSubRecordNamesItsSubRecord() {
        byte[] whole = gzip("{\"n\":0}");
        byte[] data = aggregate(List.of("k", "k"), List.of(whole, Arrays.copyOf(whole, whole.length - 10)));

        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(data))
                .hasMessageStartingWith("KPL sub-record 1 of 2: gzip data cannot be decompressed: ");
    }

    @Test
    void theDecompressionLimitCountsAllSubRecordsOfOneRecord() throws Exception {
        byte[] plain = utf8("{\"padding\":\"" + " ".repeat(300_000) + "\"}");
        byte[] small = gzip(plain);
        RecordDecoder decoder = new RecordDecoder(RecordFormat.JSON, 3 * plain.length);

        assertThat(decoder.decode(aggregate(List.of("k", "k", "k"), List.of(small, small, small)))).hasSize(3);
        assertThatThrownBy(() -> decoder.decode(
                aggregate(List.of("k", "k", "k", "k"), List.of(small, small, small, small))))
                .isInstanceOf(UndecodableRecordException.class)
                .hasMessage("KPL sub-record 3 of 4: gzip data decompresses to more than the limit of "
                        + 3 * plain.length + " decoded bytes per Kinesis record");
    }

    @Test
    void aRecordThatOnlyLooksAggregatedInItsFirstBytesIsNotTakenForJson() {
        byte[] data = concat(KplRecords.MAGIC, utf8("{\"n\":0, \"padding\":\"0123456789\"}"));

        assertThatThrownBy(() -> decoder(RecordFormat.AUTO).decode(data))
                .hasMessageStartingWith("KPL aggregated record: MD5 digest does not match");
    }

    private static RecordDecoder decoder(RecordFormat format) {
        return new RecordDecoder(format, LIMIT);
    }
}
