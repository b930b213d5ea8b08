package io.walkstream.model.serial;

import io.walkstream.model.Hop;
import io.walkstream.model.HopBatch;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * A batch of walker messages: the route key, the count, then each hop as {@link HopSerializer}
 * writes it.
 */
public final class HopBatchSerializer extends TypeSerializerSingleton<HopBatch> {
    public static final HopBatchSerializer INSTANCE = new HopBatchSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public HopBatch createInstance() {
        return new HopBatch(0, new Hop[0]);
    }

    @Override
    public HopBatch copy(HopBatch b) {
        Hop[] hops = new Hop[b.hops.length];
        for (int i = 0; i < hops.length; i++) {
            hops[i] = HopSerializer.INSTANCE.copy(b.hops[i]);
        }
        return new HopBatch(b.route, hops);
    }

    @Override
    public HopBatch copy(HopBatch from, HopBatch reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(HopBatch b, DataOutputView out) throws IOException {
        out.writeLong(b.route);
        out.writeInt(b.hops.length);
        for (Hop h : b.hops) {
            HopSerializer.INSTANCE.serialize(h, out);
        }
    }

    @Override
    public HopBatch deserialize(DataInputView in) throws IOException {
        long route = in.readLong();
        Hop[] hops = new Hop[in.readInt()];
        for (int i = 0; i < hops.length; i++) {
            hops[i] = HopSerializer.INSTANCE.deserialize(in);
        }
        return new HopBatch(route, hops);
    }

    @Override
    public HopBatch deserialize(HopBatch reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<HopBatch> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format version 1 (the fields above). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<HopBatch> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
