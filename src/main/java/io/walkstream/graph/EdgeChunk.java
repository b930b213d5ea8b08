package io.walkstream.graph;

import java.util.Arrays;

/**
 * Up to {@link EdgeLog#CHUNK} edges in parallel primitive arrays. Arrays grow one slot at a time
 * until the chunk is full, so a node with three edges stores three, not sixteen.
 */
public class EdgeChunk {
    public long[] nbr = new long[0];
    public long[] ts = new long[0];
    public byte[] action = new byte[0];
    public float[] weight = new float[0];

    public EdgeChunk() {}

    public int size() {
        return nbr.length;
    }

    /** Appends at the end (chunk not yet full). */
    void add(long n, byte a, long t, float w) {
        int s = nbr.length;
        nbr = Arrays.copyOf(nbr, s + 1);
        ts = Arrays.copyOf(ts, s + 1);
        action = Arrays.copyOf(action, s + 1);
        weight = Arrays.copyOf(weight, s + 1);
        set(s, n, a, t, w);
    }

    void set(int i, long n, byte a, long t, float w) {
        nbr[i] = n;
        ts[i] = t;
        action[i] = a;
        weight[i] = w;
    }
}
