package io.walkstream.model.serial;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Action;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.HopBatch;
import io.walkstream.model.RankInput;
import io.walkstream.model.RequestContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The hand-written serializers: every field survives a round trip, nulls included, and Flink picks
 * them up.
 */
class MessageSerializersTest {
    static <T> T roundTrip(TypeSerializer<T> s, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T back = s.deserialize(in);
        assertThat(in.available()).as("bytes left after reading").isZero();
        // copy(in, out) must write exactly what serialize wrote
        DataOutputSerializer copied = new DataOutputSerializer(64);
        s.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        return back;
    }

    static <T> void snapshotRestores(TypeSerializer<T> s) throws Exception {
        TypeSerializerSnapshot<T> snap = s.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
        TypeSerializerSnapshot<T> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        MessageSerializersTest.class.getClassLoader());
        assertThat(s.snapshotConfiguration().resolveSchemaCompatibility(read).isCompatibleAsIs())
                .isTrue();
        assertThat(read.restoreSerializer()).isEqualTo(s);
    }

    @Test
    void flinkUsesTheHandWrittenSerializers() {
        assertThat(TypeInformation.of(Hop.class)).isInstanceOf(CompactTypeInfo.class);
        assertThat(TypeInformation.of(GraphUpdate.class)).isInstanceOf(CompactTypeInfo.class);
        assertThat(TypeInformation.of(RankInput.class)).isInstanceOf(CompactTypeInfo.class);
        assertThat(TypeInformation.of(HopBatch.class)).isInstanceOf(CompactTypeInfo.class);
    }

    @Test
    void hopBatchRoundTrip() throws Exception {
        Hop a = Hop.walk(1, 2, 3, 4, 5, 6);
        a.actionWeights = new float[] {1, 2};
        Hop b = Hop.probe(Hop.SEED_PROBE, 7, 8, 0.5f, 9);
        var batch = new HopBatch(42, new Hop[] {a, b});
        assertThat(roundTrip(HopBatchSerializer.INSTANCE, batch))
                .usingRecursiveComparison()
                .isEqualTo(batch);
        var empty = new HopBatch(1, new Hop[0]);
        assertThat(roundTrip(HopBatchSerializer.INSTANCE, empty))
                .usingRecursiveComparison()
                .isEqualTo(empty);
        var copy = HopBatchSerializer.INSTANCE.copy(batch);
        assertThat(copy).usingRecursiveComparison().isEqualTo(batch);
        assertThat(copy.hops[0]).isNotSameAs(a);
        snapshotRestores(HopBatchSerializer.INSTANCE);
    }

    /**
     * A batch for Rank: a partial sum (arrivals at one item) next to a plain input, nested in one
     * record.
     */
    @Test
    void rankBatchAndPartialSumRoundTrip() throws Exception {
        RankInputSerializer s = new RankInputSerializer();
        RankInput sum = new RankInput();
        sum.kind = RankInput.ARRIVALS;
        sum.request = 9;
        sum.item = 10;
        sum.itemId = "i:10";
        sum.vector = new byte[] {1, -2, 3};
        sum.walkers = 130;
        sum.arrivalOrigins = new long[] {1, 2};
        sum.arrivalVias = new long[] {3, 4};
        sum.arrivalMass = new long[] {5L << 32, 7};
        sum.model = "m1";
        RankInput batch = new RankInput();
        batch.kind = RankInput.BATCH;
        batch.request = 9;
        batch.parts = new RankInput[] {sum, RankInput.absorbed(9, 2)};
        assertThat(roundTrip(s, batch)).usingRecursiveComparison().isEqualTo(batch);
        RankInput copy = s.copy(batch);
        assertThat(copy).usingRecursiveComparison().isEqualTo(batch);
        assertThat(copy.parts[0].arrivalMass).isNotSameAs(sum.arrivalMass);
        assertThat(sum.tokens()).isEqualTo(130);
    }

    @Test
    void hopRoundTrip() throws Exception {
        Hop h = Hop.walk(1L, -2L, 3, 4L, 5L, 6L);
        h.weight = 0.5f;
        h.halfLifeMs = 99;
        h.actionWeights = new float[] {1, 2, 3};
        assertThat(roundTrip(HopSerializer.INSTANCE, h)).usingRecursiveComparison().isEqualTo(h);
        Hop bare = Hop.probe(Hop.TREND_PROBE, 7L, 8L, 0.25f, 9L);
        assertThat(roundTrip(HopSerializer.INSTANCE, bare))
                .usingRecursiveComparison()
                .isEqualTo(bare);
        assertThat(HopSerializer.INSTANCE.copy(h)).usingRecursiveComparison().isEqualTo(h);
        snapshotRestores(HopSerializer.INSTANCE);
    }

    @Test
    void graphUpdateRoundTrip() throws Exception {
        GraphUpdate edge = GraphUpdate.edge(1L, GraphUpdate.USER, 2L, Action.PURCHASE, 3L, 1.5f);
        assertThat(roundTrip(GraphUpdateSerializer.INSTANCE, edge))
                .usingRecursiveComparison()
                .isEqualTo(edge);
        GraphUpdate full = GraphUpdate.of(GraphUpdate.ATTRIBUTES, 4L, 5L, 6L);
        full.id = "i:ü-7";
        full.attrs = new long[] {1, -1, Long.MAX_VALUE};
        full.vector = new float[] {0.1f, -0.5f};
        full.category = "shoes";
        full.brand = "b";
        assertThat(roundTrip(GraphUpdateSerializer.INSTANCE, full))
                .usingRecursiveComparison()
                .isEqualTo(full);
        GraphUpdate copy = GraphUpdateSerializer.INSTANCE.copy(full);
        assertThat(copy).usingRecursiveComparison().isEqualTo(full);
        assertThat(copy.attrs).isNotSameAs(full.attrs);
        snapshotRestores(GraphUpdateSerializer.INSTANCE);
    }

    @Test
    void rankInputRoundTrip() throws Exception {
        RankInputSerializer s = new RankInputSerializer();
        RankInput arrival = new RankInput();
        arrival.kind = RankInput.ARRIVAL;
        arrival.request = 1;
        arrival.item = 2;
        arrival.itemId = "i:2";
        arrival.walkers = 3;
        arrival.origin = 4;
        arrival.via = 5;
        arrival.degree = 6;
        arrival.vector = new byte[] {1, -128, 127};
        arrival.supplied = true;
        arrival.weight = 0.75f;
        arrival.category = "c";
        arrival.brand = "b";
        arrival.firstSeen = 7;
        arrival.trend = true;
        arrival.inspect = "x".repeat(70_000); // longer than writeUTF allows
        assertThat(roundTrip(s, arrival)).usingRecursiveComparison().isEqualTo(arrival);

        RequestContext ctx = new RequestContext();
        ctx.requestId = "r-1";
        ctx.user = "u:1";
        ctx.k = 10;
        ctx.exclude = new long[] {1, 2};
        ctx.candidates = new String[] {"i:1", null};
        RankInput context = RankInput.context(9, ctx);
        assertThat(roundTrip(s, context)).usingRecursiveComparison().isEqualTo(context);
        assertThat(roundTrip(s, RankInput.absorbed(3, 4)))
                .usingRecursiveComparison()
                .isEqualTo(RankInput.absorbed(3, 4));
        assertThat(s.copy(context)).usingRecursiveComparison().isEqualTo(context);
        assertThat(s.duplicate()).isNotSameAs(s).isEqualTo(s);
        snapshotRestores(s);
    }
}
