package dev.searchsync.cdc.dynamodb;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Change records travel between operators as POJOs, never through Kryo. */
class ChangeRecordTest {
    @Test
    void isSerializedAsPojoWithoutKryo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(ChangeRecord.class);
    }

    @Test
    void survivesSerialization() throws Exception {
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
        ExecutionConfig config = new ExecutionConfig();
        config.disableGenericTypes();
        TypeSerializer<ChangeRecord> serializer = TypeInformation.of(ChangeRecord.class).createSerializer(config);
        assertThat(serializer).isInstanceOf(PojoSerializer.class);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(record, out);
        assertThat(serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()))).isEqualTo(record);
    }
}
