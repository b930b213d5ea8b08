package io.walkstream.train;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Samples a node's neighbours with replacement, each in proportion to its time-decayed edge weight
 * (binary search on cumulative weights). The plain mean of such a sample estimates the weighted
 * mean of the whole neighbourhood without bias, which is what inference computes exactly.
 */
final class DecayedSampler {
    private DecayedSampler() {}

    /**
     * Up to {@code n} neighbours of a node with neighbour list {@code nbrs} and cumulative weights
     * {@code cum}, never {@code exclude} (the user whose own pair is being trained on: the model
     * must not learn to find the pair through the edge that defines it). Fewer when only excluded
     * ones exist.
     */
    static int[] sample(int[] nbrs, double[] cum, int n, int exclude, SplittableRandom rnd) {
        if (nbrs.length == 0) {
            return new int[0];
        }
        int[] out = new int[n];
        int got = 0;
        double total = cum[cum.length - 1];
        for (int tries = 0; got < n && tries < 4 * n; tries++) {
            int k = Arrays.binarySearch(cum, rnd.nextDouble() * total);
            k = k >= 0 ? k + 1 : -k - 1; // first cumulative weight above the draw
            if (k >= nbrs.length) {
                k = nbrs.length - 1;
            }
            if (nbrs[k] != exclude) {
                out[got++] = nbrs[k];
            }
        }
        return got == n ? out : Arrays.copyOf(out, got);
    }
}
