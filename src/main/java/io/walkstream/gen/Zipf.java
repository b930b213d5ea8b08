package io.walkstream.gen;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Samples ranks 0..n-1 with probability proportional to 1/(rank+1)^s — the power law of user
 * activity and item popularity. O(log n) per sample from a precomputed cumulative table.
 */
public final class Zipf {
    private final double[] cdf;

    public Zipf(int n, double s) {
        if (n <= 0) {
            throw new IllegalArgumentException("n must be > 0");
        }
        cdf = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += 1.0 / Math.pow(i + 1, s);
            cdf[i] = sum;
        }
        for (int i = 0; i < n; i++) {
            cdf[i] /= sum;
        }
    }

    public int sample(SplittableRandom rnd) {
        int i = Arrays.binarySearch(cdf, rnd.nextDouble());
        return Math.min(cdf.length - 1, i >= 0 ? i : -i - 1);
    }

    public int size() {
        return cdf.length;
    }
}
