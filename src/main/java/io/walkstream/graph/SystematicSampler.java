package io.walkstream.graph;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Places n walkers on weighted options with systematic sampling: one uniform offset, then n evenly
 * spaced points over the cumulative weights. Each walker lands on option i with probability
 * weight[i]/total, exactly n walkers are placed (walker conservation), and the counts vary less
 * than with independent draws (an option gets ⌊n·p⌋ or ⌈n·p⌉ walkers). O(n + options), no
 * allocation.
 */
public final class SystematicSampler {
    private SystematicSampler() {}

    /**
     * Fills {@code counts[0..size)} with walkers per option; returns false (counts untouched) when
     * the weights sum to zero.
     */
    public static boolean place(
            double[] weights, int size, int n, SplittableRandom rng, int[] counts) {
        double total = 0;
        for (int i = 0; i < size; i++) {
            total += weights[i];
        }
        if (!(total > 0) || n <= 0) {
            return false;
        }
        Arrays.fill(counts, 0, size, 0);
        double step = total / n;
        double point = rng.nextDouble() * step;
        double cum = 0;
        int i = 0;
        int placed = 0;
        while (placed < n) {
            cum += weights[i];
            while (placed < n && point < cum) {
                counts[i]++;
                placed++;
                point += step;
            }
            i++;
            if (i == size) {
                // Rounding can leave the last point a hair past the total: it belongs to the last
                // positive option.
                int last = size - 1;
                while (weights[last] <= 0) {
                    last--;
                }
                counts[last] += n - placed;
                placed = n;
            }
        }
        return true;
    }
}
