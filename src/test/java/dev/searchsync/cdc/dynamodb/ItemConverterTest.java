package dev.searchsync.cdc.dynamodb;

import dev.searchsync.model.DocumentAction;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.searchsync.cdc.dynamodb.Changes.change;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each change becomes the write or delete it means, or an error that says which change and what is wrong. */
class ItemConverterTest {
    private static final String KEYS = "{\"pk\":{\"S\":\"customer-7\"},\"sk\":{\"N\":\"2.0\"}}";
    private static final String IMAGE = "{\"pk\":{\"S\":\"customer-7\"},\"sk\":{\"N\":\"2.0\"},"
            + "\"total\":{\"N\":\"19.90\"},\"secret\":{\"S\":\"x\"}}";

    private final ItemConverter converter =
            new ItemConverter("orders", KeySchema.of("pk", "sk"), List.of(), List.of("secret"));

    @Test
    void insertWritesTheNewImage() {
        ChangeRecord change = change(ChangeType.INSERT, KEYS, IMAGE, null);
        DocumentAction out = converter.convert(change);
        assertThat(out.isDelete()).isFalse();
        assertThat(out.getIndex()).isEqualTo("orders");
        assertThat(out.getId()).isEqualTo("customer-7|2");
        assertThat(out.getDocument()).isEqualTo("{\"pk\":\"customer-7\",\"sk\":2.0,\"total\":19.90}");
        assertThat(out.getVersion()).isZero();
        assertThat(out.getOrigin()).isEqualTo(DynamoDbChangeMapper.originOf(change));
    }

    @Test
    void modifyWritesTheNewImageNotTheOld() {
        String old = "{\"pk\":{\"S\":\"customer-7\"},\"sk\":{\"N\":\"2\"},\"total\":{\"N\":\"1\"}}";
        DocumentAction out = converter.convert(change(ChangeType.MODIFY, KEYS, IMAGE, old));
        assertThat(out.isDelete()).isFalse();
        assertThat(out.getId()).isEqualTo("customer-7|2");
        assertThat(out.getDocument()).contains("\"total\":19.90");
    }

    @Test
    void removeDeletesByKeyWithoutNeedingAnImage() {
        ChangeRecord change = change(ChangeType.REMOVE, KEYS, null, null);
        DocumentAction out = converter.convert(change);
        assertThat(out.isDelete()).isTrue();
        assertThat(out.getIndex()).isEqualTo("orders");
        assertThat(out.getId()).isEqualTo("customer-7|2");
        assertThat(out.getDocument()).isNull();
        assertThat(out.getOrigin()).isEqualTo(DynamoDbChangeMapper.originOf(change));
    }

    @Test
    void writeWithoutANewImageExplainsTheStreamViewType() {
        assertThatThrownBy(() -> converter.convert(change(ChangeType.MODIFY, KEYS, null, IMAGE)))
                .isInstanceOf(ConversionException.class)
                .hasMessage("Cannot convert event 'event-1' of table 'Orders': MODIFY without a new image: the"
                        + " table's stream view type must include new images (NEW_IMAGE or NEW_AND_OLD_IMAGES;"
                        + " NEW_AND_OLD_IMAGES is recommended)");
    }

    @Test
    void keysMissingTheSortKeyAreNamed() {
        assertThatThrownBy(() -> converter.convert(change(ChangeType.REMOVE, "{\"pk\":{\"S\":\"a\"}}", null, null)))
                .isInstanceOf(ConversionException.class)
                .hasMessage("Cannot convert event 'event-1' of table 'Orders': its keys do not fit the table's key"
                        + " schema (partition key 'pk', sort key 'sk'): sort key attribute 'sk' is missing from the"
                        + " key (the key has [pk])");
    }

    @Test
    void keysThatAreNotDynamoDbJsonAreNamed() {
        assertThatThrownBy(() -> converter.convert(change(ChangeType.REMOVE, "{\"pk\":\"a\"}", null, null)))
                .isInstanceOf(ConversionException.class)
                .hasMessageStartingWith("Cannot convert event 'event-1' of table 'Orders': its keys are not DynamoDB"
                        + " JSON: Expected {\"<type>\": value}, got \"a\"");
        assertThatThrownBy(() -> converter.convert(change(ChangeType.REMOVE, "{not json", null, null)))
                .isInstanceOf(ConversionException.class)
                .hasMessageStartingWith("Cannot convert event 'event-1' of table 'Orders': its keys are not DynamoDB"
                        + " JSON: ");
    }

    @Test
    void missingKeysAreNamed() {
        assertThatThrownBy(() -> converter.convert(change(ChangeType.INSERT, null, IMAGE, null)))
                .isInstanceOf(ConversionException.class)
                .hasMessage("Cannot convert event 'event-1' of table 'Orders': it has no keys");
    }

    @Test
    void keyOfTheWrongTypeIsNamed() {
        String keys = "{\"pk\":{\"BOOL\":true},\"sk\":{\"N\":\"1\"}}";
        assertThatThrownBy(() -> converter.convert(change(ChangeType.REMOVE, keys, null, null)))
                .hasMessage("Cannot convert event 'event-1' of table 'Orders': its keys do not fit the table's key"
                        + " schema (partition key 'pk', sort key 'sk'): partition key attribute 'pk' is of type BOOL,"
                        + " expected S, N or B");
    }

    @Test
    void malformedNewImageIsNamed() {
        String image = "{\"pk\":{\"S\":\"customer-7\"},\"sk\":{\"N\":\"2\"},\"total\":{\"N\":\"lots\"}}";
        assertThatThrownBy(() -> converter.convert(change(ChangeType.INSERT, KEYS, image, null)))
                .isInstanceOf(ConversionException.class)
                .hasMessage("Cannot convert event 'event-1' of table 'Orders': the new image cannot be written as a"
                        + " document: attribute 'total': 'lots' is not a number");
        assertThatThrownBy(() -> converter.convert(change(ChangeType.INSERT, KEYS, "[]", null)))
                .hasMessage("Cannot convert event 'event-1' of table 'Orders': its new image is not DynamoDB JSON:"
                        + " Expected a DynamoDB JSON object, got ARRAY");
    }

    @Test
    void missingEventNameIsNamed() {
        assertThatThrownBy(() -> converter.convert(change(null, KEYS, IMAGE, null)))
                .hasMessage("Cannot convert event 'event-1' of table 'Orders': it has no event name (INSERT, MODIFY"
                        + " or REMOVE)");
    }

    @Test
    void includeListLimitsTheDocument() {
        ItemConverter only = new ItemConverter("orders", KeySchema.of("pk", "sk"), List.of("total"), List.of());
        assertThat(only.convert(change(ChangeType.INSERT, KEYS, IMAGE, null)).getDocument())
                .isEqualTo("{\"total\":19.90}");
    }
}
