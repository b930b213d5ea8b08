package io.walkstream.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A chunk's arrays double up to a full chunk; chunks stored before the count field still read. */
class EdgeChunkTest {
    @Test
    void arraysDoubleUntilTheChunkIsFull() {
        EdgeChunk c = new EdgeChunk();
        int[] capacities = new int[EdgeLog.CHUNK];
        for (int i = 0; i < EdgeLog.CHUNK; i++) {
            c.add(100 + i, (byte) 1, 1_000 + i, i);
            capacities[i] = c.nbr.length;
            assertThat(c.size()).isEqualTo(i + 1);
        }
        assertThat(capacities)
                .containsExactly(1, 2, 4, 4, 8, 8, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16);
        for (int i = 0; i < EdgeLog.CHUNK; i++) {
            assertThat(c.nbr[i]).isEqualTo(100 + i);
            assertThat(c.ts[i]).isEqualTo(1_000 + i);
            assertThat(c.weight[i]).isEqualTo(i);
        }
    }

    @Test
    void aChunkStoredBeforeTheCountFieldHasItsArraysLength() {
        EdgeChunk legacy = new EdgeChunk(); // as restored: exact-length arrays, count 0
        legacy.nbr = new long[] {1, 2, 3};
        legacy.ts = new long[] {10, 20, 30};
        legacy.action = new byte[3];
        legacy.weight = new float[] {1, 1, 1};
        assertThat(legacy.size()).isEqualTo(3);
        legacy.add(4, (byte) 0, 40, 1);
        assertThat(legacy.size()).isEqualTo(4);
        assertThat(legacy.count).isEqualTo(4);
        assertThat(legacy.nbr).startsWith(1, 2, 3, 4);
    }
}
