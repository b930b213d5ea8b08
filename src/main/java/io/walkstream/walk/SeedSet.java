package io.walkstream.walk;

import io.walkstream.config.JobConfig;
import io.walkstream.config.WalkConfig;
import io.walkstream.graph.EdgeWeights;
import io.walkstream.graph.Edges;
import io.walkstream.graph.KeyedSums;
import io.walkstream.model.Action;
import io.walkstream.model.Plan;
import io.walkstream.model.RequestContext;
import java.util.Arrays;

/**
 * The seed distribution of the request being started, built from the user's profile: behaviour
 * (action weight × time decay × recency), followed users, and the dislikes that pull the user
 * vector away. Reused across requests ({@link #clear()}); keys iterate in insertion order, ties
 * break by key, so the same profile always gives the same seeds.
 */
public final class SeedSet {
    /** Most recent dislikes that push the user vector away. */
    static final int MAX_DISLIKE_PROBES = 8;

    private final JobConfig cfg;
    private final EdgeWeights edgeWeights;
    private final KeyedSums seeds = new KeyedSums(64);
    private final KeyedSums followKeys = new KeyedSums(8);
    private final KeyedSums disliked = new KeyedSums(8);

    /** Per seed (indexed like {@link #seeds}): its strongest edge's weight and action. */
    private double[] bestWeight = new double[64];

    private byte[] bestAction = new byte[64];

    private boolean stale;

    SeedSet(JobConfig cfg) {
        this.cfg = cfg;
        this.edgeWeights = new EdgeWeights(cfg.graph);
    }

    /** Whether the request's user is stale ({@link #isStale}); set by {@link #addBehaviour}. */
    boolean stale() {
        return stale;
    }

    void clear() {
        stale = false;
        seeds.clear();
        followKeys.clear();
        disliked.clear();
        Arrays.fill(bestWeight, 0);
    }

    /**
     * Seed weight per item: Σ action weight × event weight × decay over the user's recent edges
     * (the plan's weights and half-life when it overrides them); remembers each seed's strongest
     * action.
     */
    void addBehaviour(Edges edges, long now, Plan plan) {
        edgeWeights.at(now, plan.actionWeights, plan.halfLifeMs);
        stale = isStale(edges, now, cfg.walk.staleAfterMs);
        double[] recency = seedRecency(edges, now, cfg.walk, stale);
        for (int i = 0; i < edges.size; i++) {
            double w = edgeWeights.of(edges.action[i], edges.ts[i], edges.weight[i]);
            if (recency != null) {
                w *= recency[i];
            }
            if (w > 0) {
                seeds.add(edges.nbr[i], w);
                remember(seeds.indexOf(edges.nbr[i]), w, edges.action[i]);
            }
        }
    }

    private void remember(int idx, double w, byte action) {
        if (idx >= bestWeight.length) {
            bestWeight = Arrays.copyOf(bestWeight, Math.max(idx + 1, bestWeight.length * 2));
            bestAction = Arrays.copyOf(bestAction, bestWeight.length);
        }
        if (w > bestWeight[idx]) {
            bestWeight[idx] = w;
            bestAction[idx] = action;
        }
    }

    /** Followed users seed walks that start at the Context step (follows do not decay). */
    void addFollows(Edges edges, long now) {
        float w = cfg.graph.followWeight;
        for (int i = 0; i < edges.size; i++) {
            if (edges.ts[i] <= now && w > 0) {
                seeds.add(edges.nbr[i], w);
                followKeys.add(edges.nbr[i], 1);
            }
        }
    }

    /**
     * Dislikes and hides up to {@code now}: never a seed (their weight is cancelled), and the most
     * recent {@link #MAX_DISLIKE_PROBES} are kept to push the user vector away.
     */
    void addDislikes(Edges edges, long now) {
        recentDislikes(edges, now);
        for (int i = 0; i < edges.size; i++) {
            if (edges.ts[i] > now) {
                continue;
            }
            int idx = seeds.indexOf(edges.nbr[i]);
            if (idx >= 0) {
                seeds.add(edges.nbr[i], -seeds.sum(idx)); // never seed from a disliked item
            }
        }
    }

    private void recentDislikes(Edges edges, long now) {
        for (Integer i : edges.newestFirst()) {
            if (disliked.size() == MAX_DISLIKE_PROBES) {
                break;
            }
            if (edges.ts[i] <= now && disliked.indexOf(edges.nbr[i]) < 0) {
                disliked.add(edges.nbr[i], 1);
            }
        }
    }

    /** An item-to-item request's only seed. */
    void addItem(long item) {
        seeds.add(item, 1.0);
    }

    /** Indices of the {@code max} heaviest seeds, heaviest first. */
    int[] strongest(int max) {
        return strongest(seeds, Math.min(seeds.size(), max));
    }

    long key(int index) {
        return seeds.key(index);
    }

    double weight(int index) {
        return seeds.sum(index);
    }

    /** Whether the seed is a followed user (its walkers start at the Context step). */
    boolean isFollowed(long key) {
        return followKeys.indexOf(key) >= 0;
    }

    int dislikes() {
        return disliked.size();
    }

    long dislike(int i) {
        return disliked.key(i);
    }

    /** The seeds and their strongest action, for explanations such as "because you purchased X". */
    void describe(RequestContext rc, int[] order) {
        long[] keys = new long[order.length];
        byte[] actions = new byte[order.length];
        for (int j = 0; j < order.length; j++) {
            keys[j] = seeds.key(order[j]);
            int idx = order[j];
            actions[j] =
                    idx < bestWeight.length && bestWeight[idx] > 0
                            ? bestAction[idx]
                            : Action.FOLLOW.code();
        }
        rc.seedKeys = keys;
        rc.seedActions = actions;
        long[] f = new long[followKeys.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = followKeys.key(i);
        }
        Arrays.sort(f);
        rc.followees = f;
    }

    /**
     * The recency factor of each of a user's edges as the Seed step weighs seeds ({@link
     * #recencyFactors} at {@code walk.seedHalfLife}), or null when there is none: recency off, or
     * the user {@code stale} ({@link #isStale}). The bench's in-process reference weighs seeds
     * through this too.
     */
    public static double[] seedRecency(Edges e, long now, WalkConfig walk, boolean stale) {
        return stale ? null : recencyFactors(e, now, walk.seedHalfLife);
    }

    /**
     * Whether the user's latest visible interaction (at or before {@code now}) is more than {@code
     * staleAfterMs} old: then the order of what they did last is no guide to their next interaction
     * (time-split and long-horizon requests measured it: recency and transitions pushed such users
     * below most popular). False without interactions or with {@code staleAfterMs} 0.
     */
    public static boolean isStale(Edges e, long now, long staleAfterMs) {
        if (staleAfterMs <= 0) {
            return false;
        }
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < e.size; i++) {
            if (e.ts[i] <= now) {
                latest = Math.max(latest, e.ts[i]);
            }
        }
        return latest != Long.MIN_VALUE && now - latest > staleAfterMs;
    }

    /**
     * Per edge: 2^(-k / halfLife), k = how many of the user's edges up to {@code now} are more
     * recent (later timestamp; equal timestamps ordered by item key, for determinism), scaled so
     * the factors of the n visible edges sum to n: recency moves the behaviour's weight towards the
     * last interactions without changing its total against follow seeds. Null when {@code halfLife}
     * is 0 (off). Edges after {@code now} get 0 (they are invisible anyway).
     */
    public static double[] recencyFactors(Edges e, long now, double halfLife) {
        if (!(halfLife > 0)) {
            return null;
        }
        Integer[] idx = new Integer[e.size];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(
                idx,
                (a, b) ->
                        e.ts[a] != e.ts[b]
                                ? Long.compare(e.ts[b], e.ts[a])
                                : Long.compare(e.nbr[b], e.nbr[a]));
        double[] f = new double[e.size];
        double step = Math.pow(2, -1 / halfLife);
        double x = 1;
        double sum = 0;
        int n = 0;
        for (Integer i : idx) {
            if (e.ts[i] > now) {
                continue;
            }
            f[i] = x;
            sum += x;
            n++;
            x *= step;
        }
        if (n > 0) {
            double scale = n / sum;
            for (int i = 0; i < f.length; i++) {
                f[i] *= scale;
            }
        }
        return f;
    }

    /**
     * Indices of the n heaviest seeds (ties by key, for determinism); zero-weight seeds sort last.
     */
    public static int[] strongest(KeyedSums s, int n) {
        Integer[] idx = new Integer[s.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(
                idx,
                (a, b) -> {
                    int c = Double.compare(s.sum(b), s.sum(a));
                    return c != 0 ? c : Long.compare(s.key(a), s.key(b));
                });
        int m = 0;
        int[] out = new int[n];
        for (int i = 0; i < n && s.sum(idx[i]) > 0; i++) {
            out[m++] = idx[i];
        }
        return Arrays.copyOf(out, m);
    }
}
