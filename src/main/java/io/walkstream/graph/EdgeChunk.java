package io.walkstream.graph;

import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Up to {@link EdgeLog#CHUNK} edges in parallel primitive arrays. The arrays double (1, 2, 4, 8,
 * 16) until the chunk is full, so a node with three edges stores four slots, not sixteen, and
 * filling a chunk copies 15 edges rather than the 120 that growing one slot at a time copied.
 *
 * <p>Serialized by {@link EdgeChunkSerializer} as one block of its edges.
 */
@TypeInfo(EdgeChunkSerializer.Info.class)
public class EdgeChunk {
    public long[] nbr = new long[0];
    public long[] ts = new long[0];
    public byte[] action = new byte[0];
    public float[] weight = new float[0];

    /**
     * Unused slots at the end of the arrays. A chunk written before this field existed restores
     * with 0: its arrays were exactly its edges.
     */
    public int spare;

    public EdgeChunk() {}

    public int size() {
        return nbr.length - spare;
    }

    /** Appends at the end (chunk not yet full). */
    void add(long n, byte a, long t, float w) {
        int s = size();
        if (spare == 0) {
            int grown = Math.min(EdgeLog.CHUNK, Math.max(1, 2 * s));
            nbr = Arrays.copyOf(nbr, grown);
            ts = Arrays.copyOf(ts, grown);
            action = Arrays.copyOf(action, grown);
            weight = Arrays.copyOf(weight, grown);
            spare = grown - s;
        }
        set(s, n, a, t, w);
        spare--;
    }

    void set(int i, long n, byte a, long t, float w) {
        nbr[i] = n;
        ts[i] = t;
        action[i] = a;
        weight[i] = w;
    }
}
