package io.walkstream.graph;

import io.walkstream.model.serial.CompactTypeInfo;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * An {@link EdgeChunk} as one block: its edge count n, then n neighbours, n timestamps, n actions
 * and n weights (4 + 21·n bytes, only the edges, not the spare slots), written and read with one
 * call each. Flink's POJO serializer wrote every array element through its own stream call; the
 * heap backend's full snapshots spent most of their time there, and RocksDB pays it on every
 * access.
 *
 * <p>State written by the POJO serializer (before this one) restores through Flink's state
 * migration: {@link Snapshot} declares it compatible after migration.
 */
public final class EdgeChunkSerializer extends TypeSerializerSingleton<EdgeChunk> {
    public static final EdgeChunkSerializer INSTANCE = new EdgeChunkSerializer();

    private static final int BYTES_PER_EDGE = 8 + 8 + 1 + 4;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public EdgeChunk createInstance() {
        return new EdgeChunk();
    }

    @Override
    public EdgeChunk copy(EdgeChunk from) {
        EdgeChunk c = new EdgeChunk();
        c.nbr = from.nbr.clone();
        c.ts = from.ts.clone();
        c.action = from.action.clone();
        c.weight = from.weight.clone();
        c.spare = from.spare;
        return c;
    }

    @Override
    public EdgeChunk copy(EdgeChunk from, EdgeChunk reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(EdgeChunk c, DataOutputView out) throws IOException {
        int n = c.size();
        ByteBuffer b = ByteBuffer.allocate(4 + n * BYTES_PER_EDGE);
        b.putInt(n);
        // Bulk copies through views (the position does not follow a view: advance it by hand).
        b.asLongBuffer().put(c.nbr, 0, n);
        b.position(4 + 8 * n).asLongBuffer().put(c.ts, 0, n);
        b.position(4 + 16 * n).put(c.action, 0, n);
        b.asFloatBuffer().put(c.weight, 0, n);
        out.write(b.array());
    }

    @Override
    public EdgeChunk deserialize(DataInputView in) throws IOException {
        int n = in.readInt();
        byte[] block = new byte[n * BYTES_PER_EDGE];
        in.readFully(block);
        ByteBuffer b = ByteBuffer.wrap(block);
        EdgeChunk c = new EdgeChunk();
        c.nbr = new long[n];
        c.ts = new long[n];
        c.action = new byte[n];
        c.weight = new float[n];
        b.asLongBuffer().get(c.nbr);
        b.position(8 * n).asLongBuffer().get(c.ts);
        b.position(16 * n).get(c.action);
        b.asFloatBuffer().get(c.weight);
        return c;
    }

    @Override
    public EdgeChunk deserialize(EdgeChunk reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        int n = in.readInt();
        byte[] block = new byte[n * BYTES_PER_EDGE];
        in.readFully(block);
        out.writeInt(n);
        out.write(block);
    }

    @Override
    public TypeSerializerSnapshot<EdgeChunk> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format version 1 (the block above); the POJO serializer's state migrates to it. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<EdgeChunk> {
        public Snapshot() {
            super(() -> INSTANCE);
        }

        @Override
        public TypeSerializerSchemaCompatibility<EdgeChunk> resolveSchemaCompatibility(
                TypeSerializerSnapshot<EdgeChunk> old) {
            if (old instanceof PojoSerializerSnapshot) {
                return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
            }
            return super.resolveSchemaCompatibility(old);
        }
    }

    /**
     * Attached to {@link EdgeChunk} with {@code @TypeInfo}, in state and inside {@link NodeLog}.
     */
    public static final class Info extends TypeInfoFactory<EdgeChunk> {
        @Override
        public TypeInformation<EdgeChunk> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(EdgeChunk.class, () -> INSTANCE);
        }
    }
}
