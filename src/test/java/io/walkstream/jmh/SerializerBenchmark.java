package io.walkstream.jmh;

import io.walkstream.model.Action;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.HopBatch;
import io.walkstream.model.RankInput;
import io.walkstream.model.serial.GraphUpdateSerializer;
import io.walkstream.model.serial.HopBatchSerializer;
import io.walkstream.model.serial.HopSerializer;
import io.walkstream.model.serial.RankInputSerializer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoField;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.java.typeutils.TypeExtractor;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A round trip (serialize + deserialize) of the hot message types with the hand-written serializers
 * against Flink's reflective POJO serializer for the same classes (what Flink used before).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SerializerBenchmark {
    @Param({"compact", "pojo"})
    public String serializer;

    private TypeSerializer<Hop> hops;
    private TypeSerializer<GraphUpdate> updates;
    private TypeSerializer<RankInput> rankInputs;
    private RankInput arrival;
    private final DataOutputSerializer out = new DataOutputSerializer(256);
    private final DataInputDeserializer in = new DataInputDeserializer();
    private Hop hop;
    private GraphUpdate update;
    private HopBatch batch;

    @Setup
    public void setUp() {
        boolean compact = "compact".equals(serializer);
        hops = compact ? HopSerializer.INSTANCE : pojo(Hop.class);
        updates = compact ? GraphUpdateSerializer.INSTANCE : pojo(GraphUpdate.class);
        rankInputs = compact ? new RankInputSerializer() : pojo(RankInput.class);
        // A candidate's arrival at Rank as Score sends it: id, int8 vector, names, degree.
        arrival = new RankInput();
        arrival.kind = RankInput.ARRIVAL;
        arrival.request = 123456789L;
        arrival.item = 42L;
        arrival.itemId = "i:12345";
        arrival.walkers = 3;
        arrival.origin = 555L;
        arrival.via = 777L;
        arrival.degree = 812;
        arrival.vector = new byte[32];
        arrival.category = "c17";
        arrival.brand = "b204";
        hop = Hop.walk(123456789L, 987654321L, 17, 555L, 777L, 1_700_000_000_000L);
        hop.actionWeights = new float[] {1, 2, 4, 8, 1, 2, 0, 0, 3, 1, 1};
        Hop[] group = new Hop[64];
        for (int i = 0; i < group.length; i++) {
            group[i] = Hop.walk(123456789L, 1000L + i, 3, 555L + i % 8, 777L, 1_700_000_000_000L);
        }
        batch = new HopBatch(7L, group);
        update =
                GraphUpdate.edge(
                        42L, GraphUpdate.ITEM_NODE, 4242L, Action.CLICK, 1_700_000_000_000L, 1f);
    }

    /**
     * Flink's POJO serializer for the class, built field by field (the class's @TypeInfo would pick
     * the compact one).
     */
    static <T> TypeSerializer<T> pojo(Class<T> type) {
        List<PojoField> fields = new ArrayList<>();
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            fields.add(new PojoField(f, TypeExtractor.createTypeInfo(f.getGenericType())));
        }
        return new PojoTypeInfo<>(type, fields).createSerializer(new SerializerConfigImpl());
    }

    @Benchmark
    public Hop hopRoundTrip() throws Exception {
        out.clear();
        hops.serialize(hop, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return hops.deserialize(in);
    }

    @Benchmark
    public RankInput rankInputRoundTrip() throws Exception {
        out.clear();
        rankInputs.serialize(arrival, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return rankInputs.deserialize(in);
    }

    /**
     * 64 walker groups as one batch (compact only: the batch type has no POJO form worth
     * comparing); divide by 64 for the cost per walker group.
     */
    @Benchmark
    public HopBatch hopBatch64RoundTrip() throws Exception {
        out.clear();
        HopBatchSerializer.INSTANCE.serialize(batch, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return HopBatchSerializer.INSTANCE.deserialize(in);
    }

    @Benchmark
    public GraphUpdate graphUpdateRoundTrip() throws Exception {
        out.clear();
        updates.serialize(update, out);
        in.setBuffer(out.getSharedBuffer(), 0, out.length());
        return updates.deserialize(in);
    }
}
