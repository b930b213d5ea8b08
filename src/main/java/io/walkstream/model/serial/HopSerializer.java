package io.walkstream.model.serial;

import io.walkstream.model.Hop;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Walker messages, the walk's most frequent record (hundreds per request): fields written in a fixed
 * order without reflection. Action weights are shared between a request's hops in memory and
 * copied by reference ({@link Hop} treats them as immutable).
 */
public final class HopSerializer extends TypeSerializerSingleton<Hop> {
    public static final HopSerializer INSTANCE = new HopSerializer();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public Hop createInstance() {
        return new Hop();
    }

    @Override
    public Hop copy(Hop h) {
        Hop c = new Hop();
        c.kind = h.kind;
        c.request = h.request;
        c.node = h.node;
        c.walkers = h.walkers;
        c.origin = h.origin;
        c.via = h.via;
        c.ts = h.ts;
        c.weight = h.weight;
        c.actionWeights = h.actionWeights;
        c.halfLifeMs = h.halfLifeMs;
        return c;
    }

    @Override
    public Hop copy(Hop from, Hop reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(Hop h, DataOutputView out) throws IOException {
        out.writeByte(h.kind);
        out.writeLong(h.request);
        out.writeLong(h.node);
        out.writeInt(h.walkers);
        out.writeLong(h.origin);
        out.writeLong(h.via);
        out.writeLong(h.ts);
        out.writeFloat(h.weight);
        out.writeLong(h.halfLifeMs);
        Fields.writeFloats(h.actionWeights, out);
    }

    @Override
    public Hop deserialize(DataInputView in) throws IOException {
        Hop h = new Hop();
        h.kind = in.readByte();
        h.request = in.readLong();
        h.node = in.readLong();
        h.walkers = in.readInt();
        h.origin = in.readLong();
        h.via = in.readLong();
        h.ts = in.readLong();
        h.weight = in.readFloat();
        h.halfLifeMs = in.readLong();
        h.actionWeights = Fields.readFloats(in);
        return h;
    }

    @Override
    public Hop deserialize(Hop reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<Hop> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format version 1 (the fields above). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<Hop> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
