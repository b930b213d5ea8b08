package io.walkstream.eval;

import io.walkstream.model.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each training user's positive interactions as item indices of a {@link TrainingData}, in time
 * order with equal timestamps ordered by {@code StableHash.of(user, item, 0)} — the order in which
 * {@link Splitter} picks a user's last interaction — and consecutive repeats of one item (a view,
 * then a cart, then a purchase of it) collapsed into one. What the sequence-aware baselines learn
 * from.
 */
final class Sequences {
    private final Map<String, int[]> byUser;

    private Sequences(Map<String, int[]> byUser) {
        this.byUser = byUser;
    }

    static Sequences of(List<Event> train, TrainingData data) {
        Map<String, List<long[]>> raw = new LinkedHashMap<>();
        for (Event e : train) {
            if (!e.isPositive()) {
                continue;
            }
            int i = data.indexOf(e.item);
            if (i < 0) {
                continue;
            }
            raw.computeIfAbsent(e.user, u -> new ArrayList<>())
                    .add(new long[] {e.ts, StableHash.of(e.user, e.item, 0), i});
        }
        Map<String, int[]> out = new HashMap<>(raw.size() * 2);
        raw.forEach(
                (user, list) -> {
                    list.sort(
                            (a, b) ->
                                    a[0] != b[0]
                                            ? Long.compare(a[0], b[0])
                                            : Long.compare(a[1], b[1]));
                    int[] seq = new int[list.size()];
                    int n = 0;
                    for (long[] x : list) {
                        int i = (int) x[2];
                        if (n == 0 || seq[n - 1] != i) {
                            seq[n++] = i;
                        }
                    }
                    out.put(user, Arrays.copyOf(seq, n));
                });
        return new Sequences(out);
    }

    /** The user's sequence, oldest first (empty for an unknown user). */
    int[] of(String user) {
        return byUser.getOrDefault(user, new int[0]);
    }

    Iterable<int[]> all() {
        return byUser.values();
    }

    int users() {
        return byUser.size();
    }

    /** The user's last {@code n} distinct items, most recent first. */
    static int[] recentDistinct(int[] seq, int n) {
        int[] out = new int[Math.min(n, seq.length)];
        int m = 0;
        Set<Integer> taken = out.length > 16 ? new HashSet<>(out.length * 2) : null;
        for (int p = seq.length - 1; p >= 0 && m < out.length; p--) {
            int i = seq[p];
            boolean dup;
            if (taken != null) {
                dup = !taken.add(i);
            } else {
                dup = false;
                for (int q = 0; q < m && !dup; q++) {
                    dup = out[q] == i;
                }
            }
            if (!dup) {
                out[m++] = i;
            }
        }
        return Arrays.copyOf(out, m);
    }

    /**
     * Recency weights of the user's distinct items, most recent first: the k-th (k = 0 for the
     * last) gets {@code 2^(-k/h)} as the engine's {@code walk.seedHalfLife} weighs seeds (1 for
     * every item when h is 0).
     */
    static double recencyWeight(int k, double halfLife) {
        return halfLife > 0 ? Math.pow(2, -k / halfLife) : 1.0;
    }
}
