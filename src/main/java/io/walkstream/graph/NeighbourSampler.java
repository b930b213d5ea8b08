package io.walkstream.graph;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One walk hop at one node: weighs the node's edges at the request's time, merges repeated edges
 * into one weight per neighbour, and places the arriving walkers on neighbours in proportion to
 * weight. Neighbours are visited in key order, so the result depends on the set of edges and the
 * request's seed only — not on the order in which parallel upstream tasks delivered the edges; that
 * is what makes a replay give the same answer. Holds reusable buffers; one instance per step
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
    private double[] remainder = new double[64];
    private double[] sorted = new double[64];

    /**
     * The weight of the neighbours the last {@link #prepare} left out: part of the row's total
     * without receiving anything.
     */
    private double skippedWeight;

    /**
     * Neighbours of the last {@link #prepare}, in key order, and their weights; never changed by a
     * hop.
     */
    private int prepared;

    /** A hop's result: the neighbours that receive something (compacted from the prepared ones). */
    private long[] outKeys = new long[64];

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
        prepare(edges, weight);
        return sample(walkers, rng);
    }

    /**
     * Weighs the edges and merges them per neighbour, for the hops that follow ({@link #sample(int,
     * SplittableRandom)}, {@link #spread(int, int, int, SplittableRandom)}): several walker groups
     * on the same node at the same request time need it once. Returns the number of neighbours.
     */
    public int prepare(Edges edges, EdgeWeight weight) {
        return prepare(edges, weight, null);
    }

    /**
     * {@link #prepare(Edges, EdgeWeight)} without the neighbours in {@code skip} (sorted; null:
     * none). Their weight stays in the row's total, so every other neighbour gets the same mass as
     * without the skip, and a slot they would have taken goes to the next strongest.
     */
    public int prepare(Edges edges, EdgeWeight weight, long[] skip) {
        prepared = neighbours(edges, weight);
        skippedWeight = skip == null ? 0 : dropSkipped(skip);
        return prepared;
    }

    /** {@link #sample(Edges, int, EdgeWeight, SplittableRandom)} over the prepared neighbours. */
    public KeyedSums sample(int walkers, SplittableRandom rng) {
        int n = prepared;
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
     * walkers' <em>expected</em> mass, {@code walkers × weight(j) / total}, to the neighbours. When
     * the node has at most {@code fanout × walkers} neighbours every one of them gets its exact
     * share; otherwise {@code m = fanout × walkers} points are placed by systematic sampling and
     * each point carries {@code walkers / m} — unbiased, with 1/fanout of the variance of one draw
     * per walker.
     *
     * <p>For accounting, the group's {@code walkers × tokensPerWalker} tokens are split over the
     * same neighbours — at least one each (so Rank can tell when every message has arrived), the
     * rest in proportion to mass by largest remainder; {@code fanout} must not exceed {@code
     * tokensPerWalker}. Returns the number of neighbours that receive something (0: a dead end);
     * read them with {@link #key}, {@link #tokens} and {@link #mass}. Everything is computed in key
     * order: the result depends on the edges and the generator only.
     */
    public int spread(
            Edges edges,
            int walkers,
            int fanout,
            int tokensPerWalker,
            EdgeWeight weight,
            SplittableRandom rng) {
        prepare(edges, weight);
        return spread(walkers, fanout, tokensPerWalker, rng);
    }

    /**
     * {@link #spread(Edges, int, int, int, EdgeWeight, SplittableRandom)} over the prepared
     * neighbours.
     */
    public int spread(int walkers, int fanout, int tokensPerWalker, SplittableRandom rng) {
        if (fanout > tokensPerWalker) {
            throw new IllegalArgumentException(
                    "fanout " + fanout + " > tokens per walker " + tokensPerWalker);
        }
        int k = spreadMass(walkers, fanout, rng);
        if (k > 0) {
            allocateTokens(k, walkers, (long) walkers * tokensPerWalker);
        }
        return k;
    }

    /**
     * The spread's masses alone, without accounting tokens ({@link #tokens} is then not set): for a
     * caller that sums the mass where it is, with no downstream step to count arrivals (the
     * benchmark's in-process reference). Same neighbours, same masses, same random numbers.
     */
    public int spreadMass(int walkers, int fanout, SplittableRandom rng) {
        int n = prepared;
        double total = walkers > 0 ? massRoom() : 0;
        if (!(total > 0)) {
            return 0;
        }
        long points = (long) fanout * walkers;
        if (n <= points) {
            for (int j = 0; j < n; j++) {
                mass[j] = walkers * (weights[j] / total);
            }
        } else {
            int m = (int) Math.min(points, Integer.MAX_VALUE - 1);
            if (share.length < n) {
                share = new int[Math.max(n, share.length * 2)];
            }
            SystematicSampler.place(weights, n, m, rng, share);
            // The points carry the prepared neighbours' share of the row (all of it unless
            // skipped).
            double placed =
                    skippedWeight == 0 ? walkers : walkers * ((total - skippedWeight) / total);
            double perPoint = placed / m;
            for (int j = 0; j < n; j++) {
                mass[j] = share[j] * perPoint;
            }
        }
        return compact(n);
    }

    /**
     * The transitions hop, exact and truncated: the {@code walkers}' expected mass goes to the
     * {@code top} heaviest prepared neighbours (ties: key order), each getting {@code walkers ×
     * weight(j) / total} with the total over <em>all</em> neighbours — the row-normalised Markov
     * score of those items, with the rest of the row left out rather than spread over them. No
     * random numbers: the same edges give the same masses. Tokens as in {@link #spread}; at most
     * {@code walkers × tokensPerWalker} neighbours receive something. Returns how many (key order).
     */
    public int strongest(int walkers, int top, int tokensPerWalker) {
        int n = prepared;
        double total = walkers > 0 && top > 0 ? massRoom() : 0;
        if (!(total > 0)) {
            return 0;
        }
        int keep = (int) Math.min(top, Math.min(n, (long) walkers * tokensPerWalker));
        // Below the threshold nothing is kept; at it, the first ties in key order fill what is
        // left.
        double threshold = keep == n ? Double.NEGATIVE_INFINITY : threshold(n, keep);
        int tiesLeft = keep;
        for (int j = 0; j < n; j++) {
            if (weights[j] > threshold) {
                tiesLeft--;
            }
        }
        for (int j = 0; j < n; j++) {
            boolean kept = weights[j] > threshold || (weights[j] == threshold && tiesLeft-- > 0);
            mass[j] = kept ? walkers * (weights[j] / total) : 0;
        }
        int k = compact(n);
        if (k > 0) {
            allocateTokens(k, walkers, (long) walkers * tokensPerWalker);
        }
        return k;
    }

    /**
     * Removes the prepared neighbours in {@code skip} (both sorted: one merge pass), keeping the
     * others in key order; returns the removed neighbours' total weight.
     */
    private double dropSkipped(long[] skip) {
        double dropped = 0;
        int kept = 0;
        for (int j = 0, s = 0; j < prepared; j++) {
            while (s < skip.length && skip[s] < keys[j]) {
                s++;
            }
            if (s < skip.length && skip[s] == keys[j]) {
                dropped += weights[j];
            } else {
                keys[kept] = keys[j];
                weights[kept++] = weights[j];
            }
        }
        prepared = kept;
        return dropped;
    }

    /**
     * Makes room for a mass per prepared neighbour; returns the row's total: the prepared weights'
     * and the skipped ones' (0 when there is nothing to place on).
     */
    private double massRoom() {
        int n = prepared;
        double total = skippedWeight;
        for (int j = 0; j < n; j++) {
            total += weights[j];
        }
        if (mass.length < n) {
            mass = new double[Math.max(n, mass.length * 2)];
        }
        return total;
    }

    /** The {@code keep}-th largest of the prepared weights. */
    private double threshold(int n, int keep) {
        if (sorted.length < n) {
            sorted = new double[Math.max(n, sorted.length * 2)];
        }
        System.arraycopy(weights, 0, sorted, 0, n);
        Arrays.sort(sorted, 0, n);
        return sorted[n - keep];
    }

    /** After {@link #spread}: the i-th neighbour that receives something. */
    public long key(int i) {
        return outKeys[i];
    }

    /** After {@link #spread}: the accounting tokens the i-th neighbour receives (at least 1). */
    public int tokens(int i) {
        return counts[i];
    }

    /** After {@link #spread}: the expected walker mass the i-th neighbour receives (> 0). */
    public double mass(int i) {
        return mass[i];
    }

    /**
     * One token each, the rest by largest remainder of mass (ties: key order); sums to {@code
     * total}.
     */
    private void allocateTokens(int k, int walkers, long total) {
        long extra = total - k;
        long given = k;
        if (remainder.length < k) {
            remainder = new double[Math.max(k, remainder.length * 2)];
        }
        for (int j = 0; j < k; j++) {
            double exact = extra * (mass[j] / walkers);
            long whole = (long) Math.floor(exact);
            counts[j] = (int) (1 + whole);
            remainder[j] = exact - whole;
            given += whole;
        }
        long left = total - given;
        if (left > 0) {
            Integer[] order = new Integer[k];
            for (int j = 0; j < k; j++) {
                order[j] = j;
            }
            Arrays.sort(
                    order,
                    (x, y) -> {
                        int c = Double.compare(remainder[y], remainder[x]);
                        return c != 0 ? c : Integer.compare(x, y);
                    });
            for (int i = 0; left > 0; i = (i + 1) % k, left--) {
                counts[order[i]]++;
            }
        }
        while (left < 0) { // floating-point excess (rare): take it back from the largest holders
            int best = 0;
            for (int j = 1; j < k; j++) {
                if (counts[j] > counts[best]) {
                    best = j;
                }
            }
            counts[best]--;
            left++;
        }
    }

    /**
     * Copies the neighbours with positive mass to the front of the output, in key order; returns
     * how many.
     */
    private int compact(int n) {
        if (outKeys.length < n) {
            outKeys = new long[Math.max(n, outKeys.length * 2)];
        }
        int k = 0;
        for (int j = 0; j < n; j++) {
            if (mass[j] > 0) {
                outKeys[k] = keys[j];
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
