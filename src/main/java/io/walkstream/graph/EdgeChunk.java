package io.walkstream.graph;

import java.util.Arrays;

/**
 * Up to {@link EdgeLog#CHUNK} edges in parallel primitive arrays. The arrays double (1, 2, 4, 8,
 * 16) until the chunk is full: a node with three edges stores four slots, not sixteen, and an
 * append copies the arrays 4 times per chunk instead of 16 (growing one slot at a time was 9% of
 * the ingest CPU with the 16-item transition window). Only the ring's head is ever partly filled;
 * full chunks have no spare slots.
 */
public class EdgeChunk {
    public long[] nbr = new long[0];
    public long[] ts = new long[0];
    public byte[] action = new byte[0];
    public float[] weight = new float[0];

    /**
     * Edges held. 0 in chunks stored before this field existed, whose arrays were always exactly
     * full: their size is the arrays' length (a chunk of this format with edges never has 0).
     */
    public int count;

    public EdgeChunk() {}

    public int size() {
        return count > 0 ? count : nbr.length;
    }

    /** Appends at the end (chunk not yet full). */
    void add(long n, byte a, long t, float w) {
        int s = size();
        if (s == nbr.length) {
            int grown = Math.min(EdgeLog.CHUNK, Math.max(1, 2 * s));
            nbr = Arrays.copyOf(nbr, grown);
            ts = Arrays.copyOf(ts, grown);
            action = Arrays.copyOf(action, grown);
            weight = Arrays.copyOf(weight, grown);
        }
        set(s, n, a, t, w);
        count = s + 1;
    }

    void set(int i, long n, byte a, long t, float w) {
        nbr[i] = n;
        ts[i] = t;
        action[i] = a;
        weight[i] = w;
    }
}
