package io.walkstream.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class EdgeChunkSerializerTest {
    private static EdgeChunk chunk(int edges) {
        EdgeChunk c = new EdgeChunk();
        for (int i = 0; i < edges; i++) {
            c.add(-7L * i + 3, (byte) (i % 5), 1_700_000_000_000L + i, 0.25f * i);
        }
        return c;
    }

    private static EdgeChunk roundTrip(EdgeChunk c) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(64);
        EdgeChunkSerializer.INSTANCE.serialize(c, out);
        assertThat(out.length()).isEqualTo(4 + 21 * c.size());
        return EdgeChunkSerializer.INSTANCE.deserialize(
                new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static void assertSameEdges(EdgeChunk a, EdgeChunk b) {
        assertThat(b.size()).isEqualTo(a.size());
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.nbr[i]).isEqualTo(a.nbr[i]);
            assertThat(b.ts[i]).isEqualTo(a.ts[i]);
            assertThat(b.action[i]).isEqualTo(a.action[i]);
            assertThat(b.weight[i]).isEqualTo(a.weight[i]);
        }
    }

    @Test
    void writesTheEdgesNotTheSpareSlotsAndReadsThemBack() throws Exception {
        for (int n : new int[] {0, 1, 3, 5, 16}) {
            EdgeChunk c = chunk(n);
            EdgeChunk back = roundTrip(c);
            assertSameEdges(c, back);
            assertThat(back.spare).isZero();
            if (n < EdgeLog.CHUNK) {
                back.add(99, (byte) 1, 5, 1f); // a restored chunk keeps growing
                assertThat(back.size()).isEqualTo(n + 1);
            }
        }
    }

    @Test
    void copiesAreDeepAndSerializedFormsCopyAsIs() throws Exception {
        EdgeChunk c = chunk(5);
        EdgeChunk copy = EdgeChunkSerializer.INSTANCE.copy(c);
        c.nbr[0] = 12345;
        assertThat(copy.nbr[0]).isEqualTo(3);
        assertThat(copy.spare).isEqualTo(c.spare);

        DataOutputSerializer first = new DataOutputSerializer(64);
        EdgeChunkSerializer.INSTANCE.serialize(c, first);
        DataOutputSerializer second = new DataOutputSerializer(64);
        EdgeChunkSerializer.INSTANCE.copy(
                new DataInputDeserializer(first.getCopyOfBuffer()), second);
        assertThat(second.getCopyOfBuffer()).isEqualTo(first.getCopyOfBuffer());
    }

    /** Flink picks it for the class, and for the chunk inside a node's POJO too. */
    @Test
    void isTheSerializerForChunksAloneAndInsideNodeLogs() {
        assertThat(TypeInformation.of(EdgeChunk.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(EdgeChunkSerializer.INSTANCE);
        TypeSerializer<NodeLog> node =
                TypeInformation.of(NodeLog.class).createSerializer(new SerializerConfigImpl());
        assertThat(node).isInstanceOf(PojoSerializer.class);
        NodeLog log = new NodeLog();
        log.head = chunk(3);
        assertThat(node.copy(log).head.nbr).containsExactly(log.head.nbr);
    }

    /** State written with Flink's POJO serializer (before this one) migrates on restore. */
    @Test
    void stateFromThePojoSerializerIsCompatibleAfterMigration() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        TypeSerializerSnapshot<EdgeChunk> pojo =
                new PojoSerializer(
                                EdgeChunk.class,
                                new TypeSerializer<?>[0],
                                new java.lang.reflect.Field[0],
                                new SerializerConfigImpl())
                        .snapshotConfiguration();
        TypeSerializerSchemaCompatibility<EdgeChunk> c =
                EdgeChunkSerializer.INSTANCE
                        .snapshotConfiguration()
                        .resolveSchemaCompatibility(pojo);
        assertThat(c.isCompatibleAfterMigration()).isTrue();
        assertThat(
                        EdgeChunkSerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(
                                        EdgeChunkSerializer.INSTANCE.snapshotConfiguration())
                                .isCompatibleAsIs())
                .isTrue();
    }
}
