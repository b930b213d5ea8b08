package io.walkstream.train;

import io.walkstream.model.Event;
import io.walkstream.model.NodeIds;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validation pairs: for a seeded sample of users, their last interaction is taken out of training
 * and, after each epoch, ranked against every item by the cosine of the item's vector to the user's
 * vector (the decayed mean of their training items' unit vectors, as the job forms it from seeds).
 */
public final class HoldOut {
    static final int MAX_SEEDS = 64;

    private final String[] users;
    private final String[] items;
    private final QueryWeights weights;

    private HoldOut(String[] users, String[] items, double queryHalfLife) {
        this.users = users;
        this.items = items;
        this.weights = new QueryWeights(queryHalfLife, MAX_SEEDS);
    }

    /** The training events without the held-out ones, and the held-out pairs. */
    public record Split(List<Event> train, HoldOut holdOut) {}

    public static Split split(List<Event> events, int maxUsers, long seed, double queryHalfLife) {
        Map<String, Event> last = new HashMap<>();
        for (Event e : events) {
            if (!e.isPositive()) {
                continue;
            }
            Event cur = last.get(e.user);
            if (cur == null
                    || e.ts > cur.ts
                    || (e.ts == cur.ts && hash(e, seed) > hash(cur, seed))) {
                last.put(e.user, e);
            }
        }
        Map<String, Set<String>> before = new HashMap<>();
        for (Event e : events) {
            if (e.isPositive() && last.get(e.user) != e) {
                before.computeIfAbsent(e.user, u -> new HashSet<>()).add(e.item);
            }
        }
        List<Event> candidates = new ArrayList<>();
        for (Event e : last.values()) {
            Set<String> b = before.get(e.user);
            if (b != null && b.size() >= 2 && !b.contains(e.item)) {
                candidates.add(e);
            }
        }
        candidates.sort(
                (a, b) -> {
                    int c = Long.compare(hash(a, seed), hash(b, seed));
                    return c != 0 ? c : a.user.compareTo(b.user);
                });
        List<Event> held = candidates.subList(0, Math.min(maxUsers, candidates.size()));
        Set<Event> heldSet = Collections.newSetFromMap(new IdentityHashMap<>());
        heldSet.addAll(held);
        List<Event> train = new ArrayList<>(events.size());
        for (Event e : events) {
            if (!heldSet.contains(e)) {
                train.add(e);
            }
        }
        return new Split(
                train,
                new HoldOut(
                        held.stream().map(e -> e.user).toArray(String[]::new),
                        held.stream().map(e -> e.item).toArray(String[]::new),
                        queryHalfLife));
    }

    private static long hash(Event e, long seed) {
        return NodeIds.mix(NodeIds.hash(e.user + "|" + e.item) ^ seed);
    }

    /** No validation pairs (training then keeps its last epoch). */
    static HoldOut none() {
        return new HoldOut(new String[0], new String[0], 0);
    }

    public int size() {
        return users.length;
    }

    /**
     * HR@10 and AUC over the held-out pairs whose user and item the model knows; {0, 0} when none.
     */
    double[] evaluate(TrainingGraph graph, float[][] vectors) {
        Map<String, Integer> userIndex = new HashMap<>();
        for (int u = 0; u < graph.users.length; u++) {
            userIndex.put(graph.users[u], u);
        }
        int n = 0, hits = 0;
        double auc = 0;
        for (int h = 0; h < users.length; h++) {
            Integer u = userIndex.get(users[h]);
            Integer target = graph.itemIndex.get(items[h]);
            if (u == null || target == null || vectors[target] == null) {
                continue;
            }
            double[] uv = userVector(graph, u, vectors, weights);
            if (uv == null) {
                continue;
            }
            Set<Integer> seen = new HashSet<>();
            for (int i : graph.sequences[u]) {
                seen.add(i);
            }
            double ts = score(uv, vectors[target]);
            int above = 0, below = 0, others = 0;
            for (int i = 0; i < vectors.length; i++) {
                if (i == target || vectors[i] == null || seen.contains(i)) {
                    continue;
                }
                double s = score(uv, vectors[i]);
                others++;
                if (s > ts) {
                    above++;
                } else if (s < ts) {
                    below++;
                }
            }
            n++;
            if (above < 10) {
                hits++;
            }
            auc += others == 0 ? 0.5 : (below + 0.5 * (others - above - below)) / others;
        }
        return n == 0 ? new double[] {0, 0} : new double[] {(double) hits / n, auc / n};
    }

    /**
     * The user's latest {@value #MAX_SEEDS} items' unit vectors, weighed by recency (the k-th most
     * recent by {@code weights.of(k)}).
     */
    static double[] userVector(
            TrainingGraph graph, int u, float[][] vectors, QueryWeights weights) {
        int[] seq = graph.sequences[u];
        double[] acc = null;
        for (int k = 0; k < Math.min(seq.length, weights.window()); k++) {
            float[] v = vectors[seq[seq.length - 1 - k]];
            if (v == null) {
                continue;
            }
            if (acc == null) {
                acc = new double[v.length];
            }
            double w = weights.of(k) * graph.sequenceWeights[u][seq.length - 1 - k];
            for (int i = 0; i < v.length; i++) {
                acc[i] += w * v[i];
            }
        }
        return acc;
    }

    static double score(double[] u, float[] v) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += u[i] * v[i];
        }
        return s; // v is unit length: ranking by this equals ranking by cosine
    }

    public String[] users() {
        return Arrays.copyOf(users, users.length);
    }
}
