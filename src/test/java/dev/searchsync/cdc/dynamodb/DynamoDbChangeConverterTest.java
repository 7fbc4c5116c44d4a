package dev.searchsync.cdc.dynamodb;

import dev.searchsync.source.split.ShardSplit;
import dev.searchsync.source.split.StartingPosition;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Identity;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.StreamRecord;

import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Stream records become change records; one that cannot be read still comes out, marked, never thrown. */
class DynamoDbChangeConverterTest {
    private static final ShardSplit SPLIT = new ShardSplit(
            "arn:aws:dynamodb:eu-west-1:123456789012:table/Orders/stream/2026-11-22T00:00:00.000", "shard-1",
            "shard-0", null, StartingPosition.trimHorizon(), false);

    @Test
    void readsEveryFieldAndTheTimeToLiveFlag() {
        Record record = record("REMOVE").toBuilder()
                .userIdentity(Identity.builder().type("Service").principalId("dynamodb.amazonaws.com").build())
                .build();

        ChangeRecord change = new DynamoDbChangeConverter().convert(record, SPLIT);

        assertThat(change.getTableName()).isEqualTo("Orders");
        assertThat(change.getEventName()).isEqualTo(ChangeType.REMOVE);
        assertThat(change.getEventId()).isEqualTo("e-1");
        assertThat(change.getKeys()).isEqualTo("{\"pk\":{\"S\":\"a\"}}");
        assertThat(DynamoDbJson.read(change.getOldImage()))
                .isEqualTo(Map.of("pk", AttributeValue.fromS("a"), "n", AttributeValue.fromN("1.50")));
        assertThat(change.getNewImage()).isNull();
        assertThat(change.getSequenceNumber()).isEqualTo("000000000000000000042");
        assertThat(change.getApproximateCreationTime()).isEqualTo(1_700_000_000_000L);
        assertThat(change.getShardId()).isEqualTo("shard-1");
        assertThat(change.getParentShardId()).isEqualTo("shard-0");
        assertThat(change.isTtlDelete()).isTrue();
        assertThat(change.getDecodeError()).isNull();
    }

    @Test
    void anUnreadableRecordComesOutMarkedWithItsText() {
        ChangeRecord change = new DynamoDbChangeConverter().convert(record("TRUNCATE"), SPLIT);

        assertThat(change.getDecodeError()).contains("TRUNCATE").contains("e-1").contains("000000000000000000042");
        assertThat(change.getEventId()).isEqualTo("e-1");
        assertThat(change.getSequenceNumber()).isEqualTo("000000000000000000042");
        assertThat(change.getEventName()).isNull();
        assertThat(change.getParentShardId()).as("lineage is known even when the record is not").isEqualTo("shard-0");
    }

    @Test
    void anImageOfATypeThisSdkDoesNotKnowMarksTheRecordAndItsLetterCanStillBeWritten() {
        Record base = record("MODIFY");
        Record record = base.toBuilder().dynamodb(base.dynamodb().toBuilder()
                .newImage(Map.of("pk", AttributeValue.fromS("a"), "future", AttributeValue.builder().build()))
                .build()).build();

        ChangeRecord change = new DynamoDbChangeConverter().convert(record, SPLIT);

        assertThat(change.getDecodeError()).contains("attribute 'future' has a value of a type this SDK does not know")
                .contains("e-1");
        assertThat(change.getNewImage()).isNull();
        assertThat(ChangeRecordJson.write(change)).as("the dead letter's record").contains("\"decodeError\"")
                .contains("\"keys\":{\"pk\":{\"S\":\"a\"}}");
    }

    @Test
    void imagesStayTheSdkMapsTheStreamGave() {
        Record record = record("REMOVE");

        ChangeRecord change = new DynamoDbChangeConverter().convert(record, SPLIT);

        assertThat(change.keyItem()).isSameAs(record.dynamodb().keys());
    }

    private static Record record(String eventName) {
        Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("a"));
        return Record.builder()
                .eventID("e-1")
                .eventName(eventName)
                .dynamodb(StreamRecord.builder()
                        .keys(key)
                        .oldImage(Map.of("pk", AttributeValue.fromS("a"), "n", AttributeValue.fromN("1.50")))
                        .sequenceNumber("000000000000000000042")
                        .approximateCreationDateTime(Instant.ofEpochMilli(1_700_000_000_000L))
                        .build())
                .build();
    }
}
