package io.walkstream.graph;

import java.util.SplittableRandom;

/**
 * One walk hop at one node: weighs the node's edges at the request's time, places the arriving
 * walkers on neighbours in proportion to edge weight, and merges walkers bound for the same
 * neighbour. Holds reusable buffers; one instance per step operator (single-threaded).
 */
public final class NeighbourSampler {
    private double[] weights = new double[64];
    private int[] counts = new int[64];
    private final KeyedSums merged = new KeyedSums(64);

    /** Weight of one stored edge at the request's time. */
    @FunctionalInterface
    public interface EdgeWeight {
        double of(byte action, long ts, float weight);
    }

    /**
     * Places {@code walkers} on the neighbours in {@code edges}; returns the merged result (neighbour →
     * walkers), or null when no edge has positive weight (a dead end).
     */
    public KeyedSums sample(Edges edges, int walkers, EdgeWeight weight, SplittableRandom rng) {
        int n = edges.size;
        if (weights.length < n) {
            weights = new double[Math.max(n, weights.length * 2)];
            counts = new int[weights.length];
        }
        for (int i = 0; i < n; i++) {
            weights[i] = weight.of(edges.action[i], edges.ts[i], edges.weight[i]);
        }
        if (!SystematicSampler.place(weights, n, walkers, rng, counts)) {
            return null;
        }
        merged.clear();
        for (int i = 0; i < n; i++) {
            if (counts[i] > 0) {
                merged.add(edges.nbr[i], counts[i]);
            }
        }
        return merged;
    }
}
