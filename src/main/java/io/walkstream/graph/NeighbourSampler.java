package io.walkstream.graph;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One walk hop at one node: weighs the node's edges at the request's time, merges repeated edges
 * into one weight per neighbour, and places the arriving walkers on neighbours in proportion to
 * weight. Neighbours are visited in key order, so the result depends on the set of edges and the
 * request's seed only — not on the order in which parallel upstream tasks delivered the edges;
 * that is what makes a replay give the same answer. Holds reusable buffers; one instance per step
 * operator (single-threaded).
 */
public final class NeighbourSampler {
    private final KeyedSums byNeighbour = new KeyedSums(64);
    private final KeyedSums placed = new KeyedSums(64);
    private long[] keys = new long[64];
    private double[] weights = new double[64];
    private int[] counts = new int[64];

    /** Weight of one stored edge at the request's time. */
    @FunctionalInterface
    public interface EdgeWeight {
        double of(byte action, long ts, float weight);
    }

    /**
     * Places {@code walkers} on the neighbours in {@code edges}; returns neighbour → walkers (only
     * neighbours that got some), or null when no edge has positive weight (a dead end).
     */
    public KeyedSums sample(Edges edges, int walkers, EdgeWeight weight, SplittableRandom rng) {
        byNeighbour.clear();
        for (int i = 0; i < edges.size; i++) {
            double w = weight.of(edges.action[i], edges.ts[i], edges.weight[i]);
            if (w > 0) {
                byNeighbour.add(edges.nbr[i], w);
            }
        }
        int n = byNeighbour.size();
        if (n == 0) {
            return null;
        }
        if (keys.length < n) {
            int c = Math.max(n, keys.length * 2);
            keys = new long[c];
            weights = new double[c];
            counts = new int[c];
        }
        for (int j = 0; j < n; j++) {
            keys[j] = byNeighbour.key(j);
        }
        Arrays.sort(keys, 0, n);
        for (int j = 0; j < n; j++) {
            weights[j] = byNeighbour.sum(byNeighbour.indexOf(keys[j]));
        }
        if (!SystematicSampler.place(weights, n, walkers, rng, counts)) {
            return null;
        }
        placed.clear();
        for (int j = 0; j < n; j++) {
            if (counts[j] > 0) {
                placed.add(keys[j], counts[j]);
            }
        }
        return placed;
    }
}
