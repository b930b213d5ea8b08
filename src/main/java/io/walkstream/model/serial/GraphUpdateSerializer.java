package io.walkstream.model.serial;

import io.walkstream.model.GraphUpdate;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Graph updates, four or five per ingested interaction: the fixed fields, then a bit set saying
 * which of the rarely used optional fields (ids, attributes, vectors, names) follow, so an edge
 * update is 40 bytes on the wire and costs no reflection.
 */
public final class GraphUpdateSerializer extends TypeSerializerSingleton<GraphUpdate> {
    public static final GraphUpdateSerializer INSTANCE = new GraphUpdateSerializer();
    private static final int ID = 1, ATTRS = 2, VECTOR = 4, CATEGORY = 8, BRAND = 16, MODEL = 32;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public GraphUpdate createInstance() {
        return new GraphUpdate();
    }

    @Override
    public GraphUpdate copy(GraphUpdate u) {
        GraphUpdate c = new GraphUpdate();
        c.node = u.node;
        c.kind = u.kind;
        c.nodeKind = u.nodeKind;
        c.nbr = u.nbr;
        c.action = u.action;
        c.ts = u.ts;
        c.weight = u.weight;
        c.id = u.id;
        c.attrs = u.attrs == null ? null : u.attrs.clone();
        c.vector = u.vector == null ? null : u.vector.clone();
        c.category = u.category;
        c.brand = u.brand;
        c.model = u.model;
        return c;
    }

    @Override
    public GraphUpdate copy(GraphUpdate from, GraphUpdate reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(GraphUpdate u, DataOutputView out) throws IOException {
        out.writeLong(u.node);
        out.writeByte(u.kind);
        out.writeByte(u.nodeKind);
        out.writeLong(u.nbr);
        out.writeByte(u.action);
        out.writeLong(u.ts);
        out.writeFloat(u.weight);
        int present =
                (u.id != null ? ID : 0)
                        | (u.attrs != null ? ATTRS : 0)
                        | (u.vector != null ? VECTOR : 0)
                        | (u.category != null ? CATEGORY : 0)
                        | (u.brand != null ? BRAND : 0)
                        | (u.model != null ? MODEL : 0);
        out.writeByte(present);
        if (u.id != null) {
            out.writeUTF(u.id);
        }
        if (u.attrs != null) {
            Fields.writeLongs(u.attrs, out);
        }
        if (u.vector != null) {
            Fields.writeFloats(u.vector, out);
        }
        if (u.category != null) {
            out.writeUTF(u.category);
        }
        if (u.brand != null) {
            out.writeUTF(u.brand);
        }
        if (u.model != null) {
            out.writeUTF(u.model);
        }
    }

    @Override
    public GraphUpdate deserialize(DataInputView in) throws IOException {
        GraphUpdate u = new GraphUpdate();
        u.node = in.readLong();
        u.kind = in.readByte();
        u.nodeKind = in.readByte();
        u.nbr = in.readLong();
        u.action = in.readByte();
        u.ts = in.readLong();
        u.weight = in.readFloat();
        int present = in.readByte();
        if ((present & ID) != 0) {
            u.id = in.readUTF();
        }
        if ((present & ATTRS) != 0) {
            u.attrs = Fields.readLongs(in);
        }
        if ((present & VECTOR) != 0) {
            u.vector = Fields.readFloats(in);
        }
        if ((present & CATEGORY) != 0) {
            u.category = in.readUTF();
        }
        if ((present & BRAND) != 0) {
            u.brand = in.readUTF();
        }
        if ((present & MODEL) != 0) {
            u.model = in.readUTF();
        }
        return u;
    }

    @Override
    public GraphUpdate deserialize(GraphUpdate reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<GraphUpdate> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * Format version 1 (the fields above; the MODEL bit was added later: older bytes never set it,
     * so they still read).
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<GraphUpdate> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}
