package dev.searchsync.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.searchsync.config.EventConfig;
import dev.searchsync.config.IndexName;
import dev.searchsync.config.RecordFormat;
import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.Op;
import dev.searchsync.model.Origin;
import dev.searchsync.model.RawRecord;
import dev.searchsync.model.UndecodableRecordException;
import dev.searchsync.source.kinesis.KinesisRecord;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** What a Kinesis record of JSON events means: which actions, under which ids, in which index, at which version. */
class KinesisEventMapperTest {
    private static final long ARRIVAL = Instant.parse("2026-12-01T10:00:00Z").toEpochMilli();
    private static final String SEQUENCE = "49590338271490256608559692538361571095921575989136588898";

    @Test
    void appendedEventsAreCreatedUnderTheirPlaceInTheStream() throws Exception {
        KinesisEventMapper mapper = mapper(IndexName.fixed("events"), new EventConfig(null, null, List.of(), null,
                null));
        byte[] data = KplRecords.aggregate(List.of("a", "b"),
                List.of(utf8("{\"n\":1}"), KplRecords.gzip("{\"n\":2}\n{\"n\":3}")));

        List<DocumentAction> actions = mapper.actions(record(data));

        assertThat(actions).extracting(DocumentAction::getOp).containsOnly(Op.CREATE);
        assertThat(actions).extracting(DocumentAction::getId).containsExactly(
                "shardId-000000000002-" + SEQUENCE + "-0-0",
                "shardId-000000000002-" + SEQUENCE + "-1-0",
                "shardId-000000000002-" + SEQUENCE + "-1-1");
        assertThat(actions).extracting(DocumentAction::getDocument)
                .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        assertThat(actions).extracting(a -> a.getOrigin().getSubSequence()).containsExactly(0, 1, 2);
        assertThat(actions).extracting(DocumentAction::getIndex).containsOnly("events");
        Origin origin = actions.get(0).getOrigin();
        assertThat(origin.getInput()).isEqualTo("clicks");
        assertThat(origin.getKind()).isEqualTo("kinesis");
        assertThat(origin.getShard()).isEqualTo("shardId-000000000002");
        assertThat(origin.getParentShard()).isEqualTo("shardId-000000000000");
        assertThat(origin.getSequence()).isEqualTo(SEQUENCE);
        assertThat(origin.getEventTime()).isEqualTo(ARRIVAL);
    }

    @Test
    void anEventTimeIndexTakesTheEventsTimeOrElseItsArrival() throws Exception {
        KinesisEventMapper mapper = mapper(IndexName.parse("events-{yyyy.MM.dd}").orElseThrow(),
                new EventConfig(null, null, List.of(), null, "/at"));

        List<DocumentAction> actions = mapper.actions(record(utf8("{\"at\":\"2026-11-29T23:59:59.999Z\"}\n"
                + "{\"at\":1796256000000}\n{\"at\":\"2026-12-03T01:00:00+02:00\"}\n{\"no\":\"time\"}\n{\"at\":null}")));

        assertThat(actions).extracting(DocumentAction::getIndex).containsExactly("events-2026.11.29",
                "events-2026.12.03", "events-2026.12.02", "events-2026.12.01", "events-2026.12.01");
        assertThat(actions.get(0).getOrigin().getEventTime())
                .isEqualTo(Instant.parse("2026-11-29T23:59:59.999Z").toEpochMilli());
    }

    @Test
    void versionedEventsIndexAndDeleteUnderTheirOwnIdsAtTheirOwnVersions() throws Exception {
        KinesisEventMapper mapper = mapper(IndexName.fixed("orders"),
                new EventConfig("/order/id", "/op", List.of("delete", "true"), "/v", null));

        List<DocumentAction> actions = mapper.actions(record(utf8(
                "{\"order\":{\"id\":\"o-1\"},\"v\":5,\"total\":1.10}\n"
                        + "{\"order\":{\"id\":12345678901234567890},\"v\":\"6\",\"op\":\"delete\"}\n"
                        + "{\"order\":{\"id\":\"o-2\"},\"v\":7,\"op\":true}\n"
                        + "{\"order\":{\"id\":\"o-3\"},\"v\":8,\"op\":\"update\"}")));

        assertThat(actions).extracting(DocumentAction::getOp).containsExactly(Op.INDEX, Op.DELETE, Op.DELETE,
                Op.INDEX);
        assertThat(actions).extracting(DocumentAction::getId).containsExactly("o-1", "12345678901234567890", "o-2",
                "o-3");
        assertThat(actions).extracting(DocumentAction::getEventVersion).containsExactly(5L, 6L, 7L, 8L);
        assertThat(actions.get(0).getDocument()).as("number text kept exactly")
                .isEqualTo("{\"order\":{\"id\":\"o-1\"},\"v\":5,\"total\":1.10}");
    }

    @Test
    void anEventThatLacksWhatTheConfigurationAsksIsAConvertFailureNamingItsPlaceNotItsValue() {
        KinesisEventMapper mapper = mapper(IndexName.fixed("orders"),
                new EventConfig("/id", null, List.of(), "/v", "/at"));

        assertThatThrownBy(() -> mapper.actions(record(utf8("{\"id\":\"a\",\"v\":1}\n{\"v\":2,\"secret\":\"x\"}"))))
                .isInstanceOf(InvalidEventException.class)
                .hasMessage("event 1 (sub-record 0, position 1): /id is missing, expected the document id (a"
                        + " non-empty string or an integer)");
        assertThatThrownBy(() -> mapper.actions(record(utf8("{\"id\":\"a\",\"v\":-3}"))))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("/v is a number value");
        assertThatThrownBy(() -> mapper.actions(record(utf8("{\"id\":\"a\",\"v\":1,\"at\":\"secret-ish\"}"))))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("/at is a string of another form")
                .hasMessageNotContaining("secret-ish");
        assertThatThrownBy(() -> mapper.actions(record(utf8("{\"id\":\"" + "x".repeat(513) + "\",\"v\":1}"))))
                .isInstanceOf(InvalidEventException.class).hasMessageContaining("longer than the 512 bytes");
    }

    @Test
    void aRecordThatCannotBeDecodedIsADecodeFailureAndItsBytesAreKeptToRedrive() throws Exception {
        KinesisEventMapper mapper = mapper(IndexName.fixed("events"), new EventConfig(null, null, List.of(), null,
                null));
        byte[] bad = utf8("{\"n\":");
        KinesisRecord record = record(bad);

        assertThatThrownBy(() -> mapper.actions(record)).isInstanceOf(UndecodableRecordException.class);
        RawRecord raw = mapper.raw(record);
        assertThat(raw.getFormat()).isEqualTo(RawRecord.RawFormat.BASE64);
        assertThat(raw.toBytes()).isEqualTo(bad);

        KinesisRecord restored = mapper.restore(RawRecord.bytes(utf8("{\"n\":1}")), mapper.origin(record).redriven(2));
        assertThat(restored.getRedriveAttempt()).isEqualTo(2);
        List<DocumentAction> actions = mapper.actions(restored);
        assertThat(actions).extracting(DocumentAction::getId).as("the same id as when first read")
                .containsExactly("shardId-000000000002-" + SEQUENCE + "-0-0");
        assertThat(actions.get(0).getOrigin().getRedriveAttempt()).isEqualTo(2);
        assertThatThrownBy(() -> mapper.restore(RawRecord.json("{}"), mapper.origin(record)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEventTimeIndexWithIdsIsRefused() {
        assertThatThrownBy(() -> mapper(IndexName.parse("events-{yyyy}").orElseThrow(),
                new EventConfig("/id", null, List.of(), null, null))).isInstanceOf(IllegalArgumentException.class);
    }

    private static KinesisEventMapper mapper(IndexName index, EventConfig events) {
        return new KinesisEventMapper("clicks", index, RecordFormat.AUTO, 1 << 20, events);
    }

    private static KinesisRecord record(byte[] data) {
        KinesisRecord record = new KinesisRecord();
        record.setStream("arn:aws:kinesis:us-east-1:000000000000:stream/clicks");
        record.setShardId("shardId-000000000002");
        record.setParentShardId("shardId-000000000000");
        record.setSequenceNumber(SEQUENCE);
        record.setPartitionKey("k");
        record.setApproximateArrivalMillis(ARRIVAL);
        record.setData(data);
        return record;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
