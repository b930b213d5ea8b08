package io.walkstream.model.serial;

import io.walkstream.model.Hop;
import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Walker messages, the walk's most frequent record (hundreds per request): fields written in a
 * fixed order without reflection. Action weights are shared between a request's hops in memory and
 * copied by reference ({@link Hop} treats them as immutable).
 */
public final class HopSerializer extends TypeSerializerSingleton<Hop> {
    public static final HopSerializer INSTANCE = new HopSerializer();

    /**
     * Reads hops written before they carried a deadline and a transition share (held walkers in an
     * older savepoint).
     */
    static final HopSerializer WITHOUT_DEADLINE = new HopSerializer(Snapshot.BEFORE_DEADLINE);

    /** Reads hops written before they carried the request's exclusions (format version 4). */
    static final HopSerializer WITHOUT_EXCLUSIONS = new HopSerializer(Snapshot.WITH_DEADLINE);

    /** The format version this serializer reads and writes (see {@link Snapshot}). */
    private final int format;

    public HopSerializer() {
        this(Snapshot.WITH_EXCLUSIONS);
    }

    private HopSerializer(int format) {
        this.format = format;
    }

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
        c.deadline = h.deadline;
        c.transitionShare = h.transitionShare;
        c.exclude = h.exclude;
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
        if (format >= Snapshot.WITH_DEADLINE) {
            out.writeLong(h.deadline);
            out.writeFloat(h.transitionShare);
        }
        if (format >= Snapshot.WITH_EXCLUSIONS) {
            Fields.writeLongs(h.exclude, out);
        }
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
        if (format >= Snapshot.WITH_DEADLINE) {
            h.deadline = in.readLong();
            h.transitionShare = in.readFloat();
        }
        if (format >= Snapshot.WITH_EXCLUSIONS) {
            h.exclude = Fields.readLongs(in);
        }
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
    public boolean equals(Object o) {
        return o instanceof HopSerializer other && other.format == format;
    }

    @Override
    public int hashCode() {
        return format;
    }

    @Override
    public TypeSerializerSnapshot<Hop> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * The format's version. 3 was written by Flink's {@code SimpleTypeSerializerSnapshot}, which
     * this snapshot once extended (hops without a deadline); 4 adds the deadline and the transition
     * share; 5 the request's exclusions. Restoring an older version migrates: the old hops are read
     * in their format and written anew with the missing fields empty (no deadline, no exclusions).
     */
    public static final class Snapshot implements TypeSerializerSnapshot<Hop> {
        static final int BEFORE_DEADLINE = 3;
        static final int WITH_DEADLINE = 4;
        static final int WITH_EXCLUSIONS = 5;
        private int version = WITH_EXCLUSIONS;

        public Snapshot() {}

        @Override
        public int getCurrentVersion() {
            return WITH_EXCLUSIONS;
        }

        @Override
        public void writeSnapshot(DataOutputView out) {}

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader)
                throws IOException {
            if (readVersion == 2) {
                in.readUTF(); // SimpleTypeSerializerSnapshot's version 2 wrote the
                // serializer's class name
            }
            version = readVersion;
        }

        @Override
        public TypeSerializer<Hop> restoreSerializer() {
            if (version >= WITH_EXCLUSIONS) {
                return INSTANCE;
            }
            return version >= WITH_DEADLINE ? WITHOUT_EXCLUSIONS : WITHOUT_DEADLINE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<Hop> resolveSchemaCompatibility(
                TypeSerializerSnapshot<Hop> old) {
            if (!(old instanceof Snapshot previous)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            return previous.version >= WITH_EXCLUSIONS
                    ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
    }
}
