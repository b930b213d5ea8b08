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
    private int[] share = new int[64];
    private double[] mass = new double[64];
    private double[] pointWeights = new double[64];

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
        int n = neighbours(edges, weight);
        if (n == 0 || !SystematicSampler.place(weights, n, walkers, rng, counts)) {
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

    /**
     * The last hop, Rao-Blackwellised: instead of placing each walker on one neighbour, sends the
     * walkers' <em>expected</em> mass, {@code walkers × weight(j) / total}, to the neighbours. When the
     * node has at most {@code fanout × walkers} neighbours every one of them gets its exact share;
     * otherwise {@code m = fanout × walkers} points are placed by systematic sampling and each point
     * carries {@code walkers / m} — unbiased, with 1/fanout of the variance of one draw per walker.
     * The integer walkers (what Rank counts to know the request is complete, and what explanations
     * call walks) are placed as {@link #sample} places them, over the same neighbours. Returns the
     * number of neighbours that receive something (0: a dead end); read them with {@link #key},
     * {@link #walkers} and {@link #mass}. Everything is computed in key order: the result depends on
     * the edges and the generator only.
     */
    public int spread(Edges edges, int walkers, int fanout, EdgeWeight weight, SplittableRandom rng) {
        int n = neighbours(edges, weight);
        if (n == 0 || walkers <= 0) {
            return 0;
        }
        double total = 0;
        for (int j = 0; j < n; j++) total += weights[j];
        if (!(total > 0)) return 0;
        if (mass.length < n) mass = new double[Math.max(n, mass.length * 2)];
        long points = (long) fanout * walkers;
        if (n <= points) {
            SystematicSampler.place(weights, n, walkers, rng, counts);
            for (int j = 0; j < n; j++) mass[j] = walkers * (weights[j] / total);
            return compact(n);
        }
        int m = (int) Math.min(points, Integer.MAX_VALUE - 1);
        if (share.length < n) share = new int[Math.max(n, share.length * 2)];
        SystematicSampler.place(weights, n, m, rng, share);
        double perPoint = (double) walkers / m;
        for (int j = 0; j < n; j++) {
            mass[j] = share[j] * perPoint;
            shareWeights(j);
        }
        SystematicSampler.place(pointWeights, n, walkers, rng, counts);
        return compact(n);
    }

    /** After {@link #spread}: the i-th neighbour that receives something. */
    public long key(int i) {
        return keys[i];
    }

    /** After {@link #spread}: the integer walkers the i-th neighbour receives (may be 0). */
    public int walkers(int i) {
        return counts[i];
    }

    /** After {@link #spread}: the expected walker mass the i-th neighbour receives (> 0). */
    public double mass(int i) {
        return mass[i];
    }

    private void shareWeights(int j) {
        if (pointWeights.length < keys.length) pointWeights = new double[keys.length];
        pointWeights[j] = share[j];
    }

    /** Keeps the neighbours with positive mass at the front, in key order; returns how many. */
    private int compact(int n) {
        int k = 0;
        for (int j = 0; j < n; j++) {
            if (mass[j] > 0) {
                keys[k] = keys[j];
                counts[k] = counts[j];
                mass[k] = mass[j];
                k++;
            }
        }
        return k;
    }

    /**
     * Merges the edges' weights per neighbour (positive weights only) into {@link #keys} (sorted)
     * and {@link #weights}; returns the number of neighbours.
     */
    private int neighbours(Edges edges, EdgeWeight weight) {
        byNeighbour.clear();
        for (int i = 0; i < edges.size; i++) {
            double w = weight.of(edges.action[i], edges.ts[i], edges.weight[i]);
            if (w > 0) {
                byNeighbour.add(edges.nbr[i], w);
            }
        }
        int n = byNeighbour.size();
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
        return n;
    }
}
