package io.walkstream.graph;

import java.util.Arrays;

/**
 * A node's current edges read out of state into reusable primitive arrays, so a walk step reads a
 * node without allocating per edge. Order is not meaningful.
 */
public final class Edges {
    public long[] nbr = new long[64];
    public long[] ts = new long[64];
    public byte[] action = new byte[64];
    public float[] weight = new float[64];
    public int size;

    /**
     * Indices of the edges, newest first; equal timestamps by neighbour key, ascending, so the
     * order never depends on the order the edges were read in.
     */
    public Integer[] newestFirst() {
        Integer[] idx = new Integer[size];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(
                idx,
                (a, b) ->
                        ts[a] != ts[b] ? Long.compare(ts[b], ts[a]) : Long.compare(nbr[a], nbr[b]));
        return idx;
    }

    public void clear() {
        size = 0;
    }

    void addAll(EdgeChunk c, int from) {
        int n = c.size() - from;
        if (n <= 0) {
            return;
        }
        ensure(size + n);
        System.arraycopy(c.nbr, from, nbr, size, n);
        System.arraycopy(c.ts, from, ts, size, n);
        System.arraycopy(c.action, from, action, size, n);
        System.arraycopy(c.weight, from, weight, size, n);
        size += n;
    }

    public void add(long n, byte a, long t, float w) {
        ensure(size + 1);
        nbr[size] = n;
        action[size] = a;
        ts[size] = t;
        weight[size] = w;
        size++;
    }

    private void ensure(int cap) {
        if (cap > nbr.length) {
            int c = Math.max(cap, nbr.length * 2);
            nbr = Arrays.copyOf(nbr, c);
            ts = Arrays.copyOf(ts, c);
            action = Arrays.copyOf(action, c);
            weight = Arrays.copyOf(weight, c);
        }
    }
}
