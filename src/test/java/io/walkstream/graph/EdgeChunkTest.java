package io.walkstream.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EdgeChunkTest {
    @Test
    void arraysDoubleUpToAFullChunkAndKeepEveryEdge() {
        EdgeChunk c = new EdgeChunk();
        int[] slots = new int[EdgeLog.CHUNK + 1];
        for (int i = 1; i <= EdgeLog.CHUNK; i++) {
            c.add(100 + i, (byte) i, 1000L * i, i / 2f);
            slots[i] = c.nbr.length;
            assertThat(c.size()).isEqualTo(i);
        }
        assertThat(slots)
                .containsExactly(0, 1, 2, 4, 4, 8, 8, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16);
        assertThat(c.spare).isZero();
        for (int i = 0; i < EdgeLog.CHUNK; i++) {
            assertThat(c.nbr[i]).isEqualTo(101 + i);
            assertThat(c.action[i]).isEqualTo((byte) (i + 1));
            assertThat(c.ts[i]).isEqualTo(1000L * (i + 1));
            assertThat(c.weight[i]).isEqualTo((i + 1) / 2f);
        }
    }

    /** State written when arrays grew one slot at a time restores with spare 0: exact arrays. */
    @Test
    void aChunkFromBeforeSpareSlotsKeepsItsEdgesAndGrows() {
        EdgeChunk old = new EdgeChunk();
        old.nbr = new long[] {7, 8, 9};
        old.ts = new long[] {1, 2, 3};
        old.action = new byte[] {1, 1, 2};
        old.weight = new float[] {1f, 1f, 2f};
        assertThat(old.size()).isEqualTo(3);

        old.add(10, (byte) 3, 4, 0.5f);

        assertThat(old.size()).isEqualTo(4);
        assertThat(old.nbr).startsWith(7, 8, 9, 10).hasSize(6);
        assertThat(old.spare).isEqualTo(2);
        Edges out = new Edges();
        out.addAll(old, 1);
        assertThat(out.size).isEqualTo(3);
        assertThat(out.nbr[2]).isEqualTo(10);
    }
}
