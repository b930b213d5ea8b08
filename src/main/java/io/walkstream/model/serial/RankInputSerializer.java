package io.walkstream.model.serial;

import io.walkstream.model.RankInput;
import io.walkstream.model.RequestContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * What Rank receives, one per candidate reached (hundreds per request): the fixed fields, then a
 * bit set of the optional ones. The rare request context (one per request) goes through Flink's
 * POJO serializer, which keeps per-thread buffers: so this serializer is duplicated per thread, not
 * shared.
 */
public final class RankInputSerializer extends TypeSerializer<RankInput> {
    private static final int ITEM_ID = 1,
            VECTOR = 2,
            CATEGORY = 4,
            BRAND = 8,
            CONTEXT = 16,
            INSPECT = 32,
            SUPPLIED = 64,
            TREND = 128;

    /**
     * Set in the kind byte (kinds are 0–7) when a model version follows at the end: the presence
     * byte is full, and bytes written before the field existed never set it, so they still read.
     */
    private static final int HAS_MODEL = 0x40;

    private transient TypeSerializer<RequestContext> contexts;

    private TypeSerializer<RequestContext> contexts() {
        if (contexts == null) {
            contexts =
                    TypeInformation.of(RequestContext.class)
                            .createSerializer(new SerializerConfigImpl());
        }
        return contexts;
    }

    @Override
    public TypeSerializer<RankInput> duplicate() {
        return new RankInputSerializer();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RankInputSerializer;
    }

    @Override
    public int hashCode() {
        return RankInputSerializer.class.hashCode();
    }

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public RankInput createInstance() {
        return new RankInput();
    }

    @Override
    public RankInput copy(RankInput r) {
        RankInput c = new RankInput();
        c.kind = r.kind;
        c.request = r.request;
        c.item = r.item;
        c.itemId = r.itemId;
        c.walkers = r.walkers;
        c.origin = r.origin;
        c.via = r.via;
        c.degree = r.degree;
        c.vector = r.vector == null ? null : r.vector.clone();
        c.supplied = r.supplied;
        c.weight = r.weight;
        c.category = r.category;
        c.brand = r.brand;
        c.firstSeen = r.firstSeen;
        c.trend = r.trend;
        c.context = r.context == null ? null : contexts().copy(r.context);
        c.inspect = r.inspect;
        c.model = r.model;
        if (r.parts != null) {
            c.parts = new RankInput[r.parts.length];
            for (int i = 0; i < r.parts.length; i++) {
                c.parts[i] = copy(r.parts[i]);
            }
        }
        c.arrivalOrigins = r.arrivalOrigins == null ? null : r.arrivalOrigins.clone();
        c.arrivalVias = r.arrivalVias == null ? null : r.arrivalVias.clone();
        c.arrivalMass = r.arrivalMass == null ? null : r.arrivalMass.clone();
        return c;
    }

    @Override
    public RankInput copy(RankInput from, RankInput reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(RankInput r, DataOutputView out) throws IOException {
        out.writeByte(r.kind | (r.model != null ? HAS_MODEL : 0));
        out.writeLong(r.request);
        out.writeLong(r.item);
        out.writeInt(r.walkers);
        out.writeLong(r.origin);
        out.writeLong(r.via);
        out.writeLong(r.degree);
        out.writeFloat(r.weight);
        out.writeLong(r.firstSeen);
        int present =
                (r.itemId != null ? ITEM_ID : 0)
                        | (r.vector != null ? VECTOR : 0)
                        | (r.category != null ? CATEGORY : 0)
                        | (r.brand != null ? BRAND : 0)
                        | (r.context != null ? CONTEXT : 0)
                        | (r.inspect != null ? INSPECT : 0)
                        | (r.supplied ? SUPPLIED : 0)
                        | (r.trend ? TREND : 0);
        out.writeByte(present);
        if (r.itemId != null) {
            out.writeUTF(r.itemId);
        }
        if (r.vector != null) {
            out.writeInt(r.vector.length);
            out.write(r.vector);
        }
        if (r.category != null) {
            out.writeUTF(r.category);
        }
        if (r.brand != null) {
            out.writeUTF(r.brand);
        }
        if (r.context != null) {
            contexts().serialize(r.context, out);
        }
        if (r.inspect != null) {
            byte[] utf8 =
                    r.inspect.getBytes(StandardCharsets.UTF_8); // may exceed writeUTF's 64 KiB
            out.writeInt(utf8.length);
            out.write(utf8);
        }
        if (r.model != null) {
            out.writeUTF(r.model);
        }
        // Kinds that did not exist in format 1 append their own fields; bytes of earlier kinds are
        // unchanged.
        if (r.kind == RankInput.BATCH) {
            out.writeInt(r.parts.length);
            for (RankInput part : r.parts) {
                serialize(part, out);
            }
        } else if (r.kind == RankInput.ARRIVALS) {
            int n = r.arrivalOrigins.length;
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeLong(r.arrivalOrigins[i]);
                out.writeLong(r.arrivalVias[i]);
                out.writeLong(r.arrivalMass[i]);
            }
        }
    }

    @Override
    public RankInput deserialize(DataInputView in) throws IOException {
        RankInput r = new RankInput();
        int kind = in.readByte();
        r.kind = (byte) (kind & ~HAS_MODEL);
        r.request = in.readLong();
        r.item = in.readLong();
        r.walkers = in.readInt();
        r.origin = in.readLong();
        r.via = in.readLong();
        r.degree = in.readLong();
        r.weight = in.readFloat();
        r.firstSeen = in.readLong();
        int present = in.readUnsignedByte();
        if ((present & ITEM_ID) != 0) {
            r.itemId = in.readUTF();
        }
        if ((present & VECTOR) != 0) {
            r.vector = new byte[in.readInt()];
            in.readFully(r.vector);
        }
        if ((present & CATEGORY) != 0) {
            r.category = in.readUTF();
        }
        if ((present & BRAND) != 0) {
            r.brand = in.readUTF();
        }
        if ((present & CONTEXT) != 0) {
            r.context = contexts().deserialize(in);
        }
        if ((present & INSPECT) != 0) {
            byte[] utf8 = new byte[in.readInt()];
            in.readFully(utf8);
            r.inspect = new String(utf8, StandardCharsets.UTF_8);
        }
        r.supplied = (present & SUPPLIED) != 0;
        r.trend = (present & TREND) != 0;
        if ((kind & HAS_MODEL) != 0) {
            r.model = in.readUTF();
        }
        if (r.kind == RankInput.BATCH) {
            r.parts = new RankInput[in.readInt()];
            for (int i = 0; i < r.parts.length; i++) {
                r.parts[i] = deserialize(in);
            }
        } else if (r.kind == RankInput.ARRIVALS) {
            int n = in.readInt();
            r.arrivalOrigins = new long[n];
            r.arrivalVias = new long[n];
            r.arrivalMass = new long[n];
            for (int i = 0; i < n; i++) {
                r.arrivalOrigins[i] = in.readLong();
                r.arrivalVias[i] = in.readLong();
                r.arrivalMass[i] = in.readLong();
            }
        }
        return r;
    }

    @Override
    public RankInput deserialize(RankInput reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<RankInput> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Format version 1 (the fields above). */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<RankInput> {
        public Snapshot() {
            super(RankInputSerializer::new);
        }
    }
}
