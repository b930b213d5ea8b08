package io.walkstream.graph;

import java.util.Arrays;

/**
 * A category's trending items: up to a fixed number of items with time-decayed interaction scores
 * (half-life of the graph). A new item enters when there is room or when it beats the weakest, so
 * an update is O(capacity) — bounded, whatever the category's size. Scores are kept decayed to
 * {@link #at}.
 */
public class Trending {
    public long[] items = new long[0];
    public double[] scores = new double[0];
    public long at;

    public Trending() {}

    public void add(long item, double weight, long ts, long halfLifeMs, int capacity) {
        if (ts > at) {
            double f = Decay.factor(ts, at, halfLifeMs);
            for (int i = 0; i < scores.length; i++) {
                scores[i] *= f;
            }
            at = ts;
        } else {
            weight *= Decay.factor(at, ts, halfLifeMs);
        }
        int weakest = -1;
        for (int i = 0; i < items.length; i++) {
            if (items[i] == item) {
                scores[i] += weight;
                return;
            }
            if (weakest < 0 || scores[i] < scores[weakest]) {
                weakest = i;
            }
        }
        if (items.length < capacity) {
            items = Arrays.copyOf(items, items.length + 1);
            scores = Arrays.copyOf(scores, scores.length + 1);
            items[items.length - 1] = item;
            scores[scores.length - 1] = weight;
        } else if (weakest >= 0 && weight > scores[weakest]) {
            items[weakest] = item;
            scores[weakest] = weight;
        }
    }

    /** Indices of the {@code n} highest scores, best first (ties by item key, for determinism). */
    public int[] top(int n) {
        Integer[] idx = new Integer[items.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(
                idx,
                (a, b) -> {
                    int c = Double.compare(scores[b], scores[a]);
                    return c != 0 ? c : Long.compare(items[a], items[b]);
                });
        int m = Math.min(n, idx.length);
        int[] out = new int[m];
        for (int i = 0; i < m; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    /** A score decayed to {@code now} (scores are kept as of {@link #at}). */
    public double scoreAt(int i, long now, long halfLifeMs) {
        return now >= at ? scores[i] * Decay.factor(now, at, halfLifeMs) : scores[i];
    }
}
