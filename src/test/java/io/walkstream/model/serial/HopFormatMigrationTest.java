package io.walkstream.model.serial;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Hop;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Walkers held in a savepoint taken before hops carried a deadline (Flink's {@code
 * SimpleTypeSerializerSnapshot}, version 3) or the request's exclusions (version 4) still restore:
 * the old snapshot resolves to "compatible after migration", its restore serializer reads the old
 * bytes, and the hops come back without the newer fields.
 */
class HopFormatMigrationTest {
    /**
     * What the snapshot of the old format looked like: the same class name, Flink's simple
     * snapshot.
     */
    static final class OldSnapshot extends SimpleTypeSerializerSnapshot<Hop> {
        OldSnapshot() {
            super(() -> HopSerializer.WITHOUT_DEADLINE);
        }
    }

    @Test
    void aHopWrittenWithoutDeadlineIsReadBackAfterMigration() throws Exception {
        Hop old = Hop.walk(11, 22, 33, 44, 55, 66);
        old.actionWeights = new float[] {1f, 0.5f};
        old.halfLifeMs = 7;
        DataOutputSerializer bytes = new DataOutputSerializer(64);
        HopSerializer.WITHOUT_DEADLINE.serialize(old, bytes);

        // The old snapshot's bytes, read back as the current snapshot class reads them (version 3).
        DataOutputSerializer snapBytes = new DataOutputSerializer(16);
        new OldSnapshot().writeSnapshot(snapBytes);
        HopSerializer.Snapshot restored = new HopSerializer.Snapshot();
        restored.readSnapshot(
                new OldSnapshot().getCurrentVersion(),
                new DataInputDeserializer(snapBytes.getCopyOfBuffer()),
                getClass().getClassLoader());

        assertThat(
                        new HopSerializer.Snapshot()
                                .resolveSchemaCompatibility(restored)
                                .isCompatibleAfterMigration())
                .isTrue();
        TypeSerializer<Hop> reader = restored.restoreSerializer();
        DataInputDeserializer in = new DataInputDeserializer(bytes.getCopyOfBuffer());
        Hop back = reader.deserialize(in);
        assertThat(in.available()).isZero();
        assertThat(back).usingRecursiveComparison().isEqualTo(old);
        assertThat(back.deadline).isZero();
    }

    @Test
    void aHopWrittenWithoutExclusionsIsReadBackAfterMigration() throws Exception {
        Hop old = Hop.walk(11, 22, 33, 44, 55, 66);
        old.deadline = 1_800_000_000_123L;
        old.transitionShare = 0.5f;
        DataOutputSerializer bytes = new DataOutputSerializer(64);
        HopSerializer.WITHOUT_EXCLUSIONS.serialize(old, bytes);

        // This snapshot class wrote version 4 (no snapshot fields) before hops carried exclusions.
        HopSerializer.Snapshot restored = new HopSerializer.Snapshot();
        restored.readSnapshot(
                4, new DataInputDeserializer(new byte[0]), getClass().getClassLoader());
        assertThat(
                        new HopSerializer.Snapshot()
                                .resolveSchemaCompatibility(restored)
                                .isCompatibleAfterMigration())
                .isTrue();
        DataInputDeserializer in = new DataInputDeserializer(bytes.getCopyOfBuffer());
        Hop back = restored.restoreSerializer().deserialize(in);
        assertThat(in.available()).isZero();
        assertThat(back).usingRecursiveComparison().isEqualTo(old);
        assertThat(back.exclude).isNull();

        // Written anew in the current format, the exclusions travel.
        back.exclude = new long[] {-5, 3, 9};
        assertThat(MessageSerializersTest.roundTrip(HopSerializer.INSTANCE, back).exclude)
                .containsExactly(-5, 3, 9);
        assertThat(HopSerializer.INSTANCE.copy(back).exclude).isSameAs(back.exclude);
    }

    @Test
    void theCurrentFormatKeepsTheDeadlineAndIsCompatibleAsIs() throws Exception {
        Hop h = Hop.walk(1, 2, 3, 4, 5, 6);
        h.deadline = 1_800_000_000_123L;
        assertThat(MessageSerializersTest.roundTrip(HopSerializer.INSTANCE, h).deadline)
                .isEqualTo(h.deadline);
        assertThat(h.next(Hop.WALK, 9, 1, 4, 5).deadline)
                .as("carried to the next hop")
                .isEqualTo(h.deadline);

        TypeSerializerSnapshot<Hop> snap = HopSerializer.INSTANCE.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(16);
        TypeSerializerSnapshot.writeVersionedSnapshot(out, snap);
        TypeSerializerSnapshot<Hop> read =
                TypeSerializerSnapshot.readVersionedSnapshot(
                        new DataInputDeserializer(out.getCopyOfBuffer()),
                        getClass().getClassLoader());
        assertThat(
                        HopSerializer.INSTANCE
                                .snapshotConfiguration()
                                .resolveSchemaCompatibility(read)
                                .isCompatibleAsIs())
                .isTrue();
        assertThat(read.restoreSerializer()).isEqualTo(HopSerializer.INSTANCE);
        assertThat(h.expiredAt(h.deadline)).isFalse();
        assertThat(h.expiredAt(h.deadline + 1)).isTrue();
        assertThat(Hop.walk(1, 2, 3, 4, 5, 6).expiredAt(Long.MAX_VALUE))
                .as("no deadline: never expires")
                .isFalse();
    }
}
