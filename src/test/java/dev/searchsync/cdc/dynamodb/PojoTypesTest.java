package dev.searchsync.cdc.dynamodb;

import dev.searchsync.model.DocumentAction;
import dev.searchsync.model.FailedChange;
import dev.searchsync.model.Failure;
import dev.searchsync.model.FailureStage;
import dev.searchsync.model.Failures;
import dev.searchsync.model.RawRecord;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

import static dev.searchsync.cdc.dynamodb.Changes.change;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What crosses operators never goes through Kryo: the action and the failure travel as POJOs, a DynamoDB change
 * with its own serializer ({@link ChangeRecordTest}).
 */
class PojoTypesTest {
    @Test
    void theModelIsMadeOfPojos() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(DocumentAction.class);
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(FailedChange.class);
    }

    @Test
    void failureOutputIsTypedAsThePojo() {
        assertThat(Failures.TAG.getTypeInfo()).isEqualTo(TypeInformation.of(FailedChange.class));
    }

    @Test
    void documentActionSurvivesSerialization() throws Exception {
        ChangeRecord change = change(ChangeType.INSERT, "{\"pk\":{\"S\":\"a\"}}", "{\"pk\":{\"S\":\"a\"}}", null);
        DocumentAction write = DocumentAction.index("orders", "a|1", "{\"n\":1.50}",
                DynamoDbChangeMapper.originOf(change)).withVersion(7);
        assertThat(roundTrip(DocumentAction.class, write)).isEqualTo(write);
        DocumentAction counted = DocumentAction.index("orders", "a|1", "{\"n\":1}".getBytes(
                java.nio.charset.StandardCharsets.UTF_8), 1, null);
        assertThat(roundTrip(DocumentAction.class, counted).getFieldPaths()).as("the count stays where it was made")
                .isEqualTo(DocumentAction.UNCOUNTED);
        DocumentAction delete = DocumentAction.delete("orders", "a|1", null);
        assertThat(roundTrip(DocumentAction.class, delete)).isEqualTo(delete);
    }

    @Test
    void failedChangeSurvivesSerialization() throws Exception {
        ChangeRecord change = change(ChangeType.MODIFY, "{}", null, null);
        FailedChange failed = FailedChange.of(DynamoDbChangeMapper.originOf(change),
                RawRecord.json(ChangeRecordJson.write(change)), null,
                Failure.of(FailureStage.CONVERT, new ConversionException("bad", null), 99L));
        FailedChange copy = roundTrip(FailedChange.class, failed);
        assertThat(copy).usingRecursiveComparison().isEqualTo(failed);
    }

    private static <T> T roundTrip(Class<T> type, T value) throws Exception {
        SerializerConfigImpl config = new SerializerConfigImpl();
        config.setGenericTypes(false);
        TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(config);
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }
}
