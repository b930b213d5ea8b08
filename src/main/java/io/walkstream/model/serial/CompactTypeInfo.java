package io.walkstream.model.serial;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.util.function.SerializableSupplier;

/**
 * Type information for a message type with a hand-written serializer (registered on the class with
 * {@code @TypeInfo}): Flink then never falls back to reflection or Kryo for it, on the wire or in
 * state.
 */
public final class CompactTypeInfo<T> extends TypeInformation<T> {
    private final Class<T> type;
    private final SerializableSupplier<TypeSerializer<T>> serializer;

    public CompactTypeInfo(Class<T> type, SerializableSupplier<TypeSerializer<T>> serializer) {
        this.type = type;
        this.serializer = serializer;
    }

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
    public Class<T> getTypeClass() {
        return type;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<T> createSerializer(SerializerConfig config) {
        return serializer.get();
    }

    @Override
    public String toString() {
        return "Compact(" + type.getSimpleName() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CompactTypeInfo<?> other && other.type == type;
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    @Override
    public boolean canEqual(Object o) {
        return o instanceof CompactTypeInfo;
    }
}
