package dev.searchsync.document;

import dev.searchsync.change.ChangeType;
import dev.searchsync.failure.FailedChange;
import dev.searchsync.failure.FailureStage;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

import static dev.searchsync.document.Changes.change;
import static org.assertj.core.api.Assertions.assertThat;

/** What the conversion step emits travels between operators as POJOs, never through Kryo. */
class PojoTypesTest {
    @Test
    void documentChangeIsAPojo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(DocumentChange.class);
    }

    @Test
    void failedChangeIsAPojo() {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(FailedChange.class);
    }

    @Test
    void failureOutputIsTypedAsThePojo() {
        assertThat(ConvertChanges.FAILURES.getTypeInfo()).isEqualTo(TypeInformation.of(FailedChange.class));
    }

    @Test
    void documentChangeSurvivesSerialization() throws Exception {
        DocumentChange write = DocumentChange.write("orders", "a|1", "{\"n\":1.50}",
                change(ChangeType.INSERT, "{\"pk\":{\"S\":\"a\"}}", "{\"pk\":{\"S\":\"a\"}}", null));
        write.setVersion(7);
        assertThat(roundTrip(DocumentChange.class, write)).isEqualTo(write);
        DocumentChange delete = DocumentChange.delete("orders", "a|1", null);
        assertThat(roundTrip(DocumentChange.class, delete)).isEqualTo(delete);
    }

    @Test
    void failedChangeSurvivesSerialization() throws Exception {
        FailedChange failed = FailedChange.of(change(ChangeType.MODIFY, "{}", null, null), FailureStage.CONVERT,
                new ConversionException("bad", null), 99L);
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
