package io.walkstream.model.serial;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.GraphUpdate;
import io.walkstream.model.RankInput;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * The embedding model version survives the hand-written message serializers, and is absent when
 * unset.
 */
class ModelVersionSerializationTest {
    @Test
    void graphUpdatesAndRankInputsCarryTheModelVersion() throws Exception {
        GraphUpdate u = GraphUpdate.of(GraphUpdate.EMBEDDING, 7, 0, 99);
        u.vector = new float[] {1, 2};
        u.model = "sage-1";
        DataOutputSerializer out = new DataOutputSerializer(64);
        GraphUpdateSerializer.INSTANCE.serialize(u, out);
        GraphUpdate back =
                GraphUpdateSerializer.INSTANCE.deserialize(
                        new DataInputDeserializer(out.getCopyOfBuffer()));
        assertThat(back.model).isEqualTo("sage-1");
        assertThat(back.vector).containsExactly(1, 2);
        assertThat(GraphUpdateSerializer.INSTANCE.copy(u).model).isEqualTo("sage-1");

        RankInputSerializer s = new RankInputSerializer();
        for (String model : new String[] {"sage-2", null}) {
            RankInput r = new RankInput();
            r.kind = RankInput.NEIGHBOUR_ARRIVAL;
            r.request = 5;
            r.vector = new byte[] {127, -3};
            r.supplied = true;
            r.trend = true;
            r.model = model;
            DataOutputSerializer o = new DataOutputSerializer(64);
            s.serialize(r, o);
            RankInput rb = s.deserialize(new DataInputDeserializer(o.getCopyOfBuffer()));
            assertThat(rb.kind).isEqualTo(RankInput.NEIGHBOUR_ARRIVAL);
            assertThat(rb.model).isEqualTo(model);
            assertThat(rb.supplied).isTrue();
            assertThat(rb.vector).containsExactly(127, -3);
            assertThat(s.copy(r).model).isEqualTo(model);
        }
    }
}
