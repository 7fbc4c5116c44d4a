package dev.searchsync.cdc.dynamodb;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/** Tells Flink to move a {@link ChangeRecord} with {@link ChangeRecordSerializer}: what {@code @TypeInfo} names. */
public final class ChangeRecordTypeInfo extends TypeInformation<ChangeRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<ChangeRecord> getTypeClass() {
        return ChangeRecord.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<ChangeRecord> createSerializer(ExecutionConfig config) {
        return new ChangeRecordSerializer();
    }

    @Override
    public String toString() {
        return "ChangeRecord";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChangeRecordTypeInfo;
    }

    @Override
    public int hashCode() {
        return ChangeRecordTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof ChangeRecordTypeInfo;
    }

    /** What {@link ChangeRecord}'s {@code @TypeInfo} annotation names. */
    public static final class Factory extends TypeInfoFactory<ChangeRecord> {
        @Override
        public TypeInformation<ChangeRecord> createTypeInfo(Type type, Map<String, TypeInformation<?>> parameters) {
            return new ChangeRecordTypeInfo();
        }
    }
}
