package dev.searchsync.cdc.dynamodb;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A change keeps its images in the form they came in and crosses operators with {@link ChangeRecordSerializer},
 * never through Kryo: as text across an edge, shared when a chained operator gets its copy.
 */
class ChangeRecordTest {
    private static final TypeSerializer<ChangeRecord> SERIALIZER = serializer();

    @Test
    void flinkMovesItWithItsOwnSerializer() {
        assertThat(serializer()).isInstanceOf(ChangeRecordSerializer.class);
        assertThat(TypeInformation.of(ChangeRecord.class)).isEqualTo(new ChangeRecordTypeInfo());
    }

    @Test
    void survivesSerializationWithEveryField() throws Exception {
        ChangeRecord record = new ChangeRecord();
        record.setTableName("orders");
        record.setEventId("e1");
        record.setEventName(ChangeType.REMOVE);
        record.setKeys("{\"pk\":{\"S\":\"a\"}}");
        record.setOldImage("{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"}}");
        record.setSequenceNumber("000000000000000000042");
        record.setApproximateCreationTime(1_700_000_000_000L);
        record.setShardId("shardId-1");
        record.setParentShardId("shardId-0");
        record.setTtlDelete(true);
        record.setDecodeError("broken");
        record.setRedriveAttempt(2);
        record.setLoadVersion(17);
        ChangeRecord copy = roundTrip(record);
        assertThat(copy).isEqualTo(record);
        assertThat(copy).usingRecursiveComparison().isEqualTo(record);
        assertThat(roundTrip(new ChangeRecord())).usingRecursiveComparison().isEqualTo(new ChangeRecord());
    }

    @Test
    void imagesSetAsMapsCrossAnEdgeAsDynamoDbJson() throws Exception {
        ChangeRecord record = new ChangeRecord();
        record.setEventName(ChangeType.MODIFY);
        record.setKeyItem(Map.of("pk", AttributeValue.fromS("a")));
        record.setNewItem(item());
        record.setOldItem(Map.of("pk", AttributeValue.fromS("a")));
        ChangeRecord copy = roundTrip(record);
        assertThat(copy.getNewImage()).isEqualTo(DynamoDbJson.write(item()));
        assertThat(copy.newItem()).isEqualTo(item());
        assertThat(copy.keyItem()).isEqualTo(Map.of("pk", AttributeValue.fromS("a")));
        assertThat(copy.getOldImage()).isEqualTo("{\"pk\":{\"S\":\"a\"}}");
        assertThat(copy).isEqualTo(record);
    }

    @Test
    void aChainedCopySharesTheMapsWithoutWritingThem() {
        Map<String, AttributeValue> item = item();
        ChangeRecord record = new ChangeRecord();
        record.setNewItem(item);
        ChangeRecord copy = SERIALIZER.copy(record);
        assertThat(copy).isNotSameAs(record);
        assertThat(copy.newItem()).isSameAs(item);
    }

    @Test
    void imagesSetAsTextAreReadOnlyWhenAskedFor() {
        ChangeRecord record = new ChangeRecord();
        record.setNewImage("not json");
        assertThat(record.getNewImage()).isEqualTo("not json");
        assertThatThrownBy(record::newItem).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMapThatNoLetterCouldHoldIsRefusedWhenSet() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS("a"));
        item.put("list", AttributeValue.fromL(List.of(AttributeValue.fromS("x"),
                AttributeValue.builder().build())));
        ChangeRecord record = new ChangeRecord();
        assertThatThrownBy(() -> record.setNewItem(item)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attribute 'list[1]' has a value of a type this SDK does not know: AttributeValue()");
    }

    private static Map<String, AttributeValue> item() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.fromS("a"));
        item.put("n", AttributeValue.fromN("1.50"));
        item.put("m", AttributeValue.fromM(Map.of("ns", AttributeValue.fromNs(List.of("2", "1")))));
        return item;
    }

    private static ChangeRecord roundTrip(ChangeRecord record) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        SERIALIZER.serialize(record, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        ChangeRecord copy = SERIALIZER.deserialize(in);
        assertThat(in.available()).as("bytes left after the record").isZero();
        return copy;
    }

    private static TypeSerializer<ChangeRecord> serializer() {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        return TypeInformation.of(ChangeRecord.class).createSerializer(config);
    }
}
