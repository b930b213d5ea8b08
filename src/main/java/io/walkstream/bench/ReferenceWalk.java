package io.walkstream.bench;

import io.walkstream.config.JobConfig;
import io.walkstream.graph.EdgeWeights;
import io.walkstream.graph.Edges;
import io.walkstream.graph.KeyedSums;
import io.walkstream.graph.NeighbourSampler;
import io.walkstream.graph.SystematicSampler;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.NodeIds;
import io.walkstream.model.Plan;
import io.walkstream.model.RankInput;
import io.walkstream.model.Request;
import io.walkstream.strategy.StrategyCompiler;
import io.walkstream.walk.ContextStep;
import io.walkstream.walk.ItemStep;
import io.walkstream.walk.SeedSet;
import io.walkstream.walk.SeedStep;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The job's walk, one request at a time in one thread, over a {@link ReferenceGraph}: the same
 * steps with the same code and the same random numbers, without Flink in between.
 *
 * <ol>
 *   <li>Seed: the user's recent items weighted by action weight × time decay × seed recency ({@link
 *       SeedStep#recencyFactors}), the {@code walk.maxSeeds} strongest ({@link
 *       SeedStep#strongest}); W walkers split over them by systematic sampling, from the generator
 *       Seed seeds with the request ({@link SeedStep#SALT}). An item-to-item request's only seed is
 *       its item.
 *   <li>Item: walkers on a seed item move to its users and attributes by edge weight at the
 *       request's time ({@link EdgeWeights}, {@link NeighbourSampler#sample}).
 *   <li>Context: the last hop spreads each walker group's expected mass over up to {@code
 *       walk.lastHopFanout × walkers} items ({@link NeighbourSampler#spreadMass}: the job's spread
 *       without the accounting tokens Rank counts arrivals by); with fan-out 0 each walker lands on
 *       one item.
 *   <li>Rank: mass summed per item in the job's fixed point ({@link RankInput#MASS_UNIT}); history
 *       excluded; RP3β, visits / degree^β, relative to the best item; top k by score, then id.
 * </ol>
 *
 * The default plan ({@link StrategyCompiler#defaultPlan}: W, seeds, β and blend from the {@link
 * JobConfig}) serves every request. Left out: embedding similarity (the job blends {@code
 * rank.similarityBlend} × cosine into the score; the reference scores that part as 0, so its
 * ranking equals the job's when the blend is 0), dislikes, follows, candidate lists, trending and
 * strategy filters. Holds scratch buffers: one instance per thread.
 */
public final class ReferenceWalk {
    /**
     * An answer: the top items with their scores and visits (expected walks ended there, rounded).
     */
    public record Answer(
            String requestId,
            String[] items,
            double[] scores,
            int[] visits,
            int walkers,
            int absorbed) {}

    private final ReferenceGraph graph;
    private final JobConfig cfg;
    private final Plan plan;
    private final EdgeWeights weights;
    private final Edges seedEdges = new Edges();
    private final Edges itemEdges = new Edges();
    private final Edges contextEdges = new Edges();
    private final NeighbourSampler itemSampler = new NeighbourSampler();
    private final NeighbourSampler contextSampler = new NeighbourSampler();
    private final KeyedSums seeds = new KeyedSums(64);
    private final KeyedSums mass = new KeyedSums(4096);
    private double[] seedWeights = new double[64];
    private int[] counts = new int[64];
    private long[] exclude = new long[64];
    private int excluded;
    private int absorbed;

    /**
     * The context whose neighbours {@link #contextSampler} holds weighed, for which time and graph
     * version.
     */
    private int preparedContext = -1;

    private long preparedNow;
    private long preparedVersion;

    /** Per eligible item reached: its RP3β, its index in {@link #mass} and its node. */
    private double[] rp3 = new double[256];

    private int[] candidate = new int[256];
    private int[] node = new int[256];

    public ReferenceWalk(ReferenceGraph graph) {
        this.graph = graph;
        this.cfg = graph.config();
        this.plan = new StrategyCompiler(cfg).defaultPlan();
        this.weights = new EdgeWeights(cfg.graph);
    }

    public Answer answer(Request r) {
        long request = NodeIds.hash(r.requestId);
        long now = r.ts;
        seeds.clear();
        mass.clear();
        excluded = 0;
        absorbed = 0;
        if (r.user != null) {
            int u = graph.indexOf(NodeIds.hash(r.user));
            if (u >= 0 && graph.kind(u) == GraphUpdate.USER) {
                graph.view(u, seedEdges);
                if (plan.excludeInteracted || r.isItemToItem()) {
                    for (int i = 0; i < seedEdges.size; i++) {
                        if (seedEdges.ts[i] <= now) {
                            exclude(seedEdges.nbr[i]);
                        }
                    }
                }
                if (!r.isItemToItem()) {
                    addBehaviourSeeds(now);
                }
            }
        }
        if (r.isItemToItem()) {
            long item = NodeIds.hash(r.item);
            seeds.add(item, 1.0);
            exclude(item);
        }
        if (r.exclude != null) {
            for (String x : r.exclude) {
                exclude(NodeIds.hash(x));
            }
        }
        Arrays.sort(exclude, 0, excluded);

        int k = r.k > 0 ? Math.min(r.k, cfg.rank.maxK) : cfg.rank.defaultK;
        int walkers = r.walkers > 0 ? Math.min(r.walkers, cfg.walk.maxWalkers) : plan.walkers;
        int[] order = SeedSet.strongest(seeds, Math.min(seeds.size(), plan.maxSeeds));
        int n = order.length;
        if (seedWeights.length < n) {
            seedWeights = new double[n];
            counts = new int[n];
        }
        for (int j = 0; j < n; j++) {
            seedWeights[j] = seeds.sum(order[j]);
        }
        SplittableRandom rng = new SplittableRandom(NodeIds.mix(request, SeedStep.SALT));
        if (walkers <= 0
                || n == 0
                || !SystematicSampler.place(seedWeights, n, walkers, rng, counts)) {
            return new Answer(
                    r.requestId, new String[0], new double[0], new int[0], walkers, walkers);
        }
        weights.at(now, plan.actionWeights, plan.halfLifeMs);
        for (int j = 0; j < n; j++) {
            if (counts[j] > 0) {
                itemHop(request, seeds.key(order[j]), counts[j], now);
            }
        }
        return rank(r.requestId, k, walkers);
    }

    /**
     * Seed weight per item: Σ action weight × event weight × decay × recency over the user's edges
     * (as Seed weighs them).
     */
    private void addBehaviourSeeds(long now) {
        weights.at(now, plan.actionWeights, plan.halfLifeMs);
        double[] recency =
                SeedSet.seedRecency(
                        seedEdges,
                        now,
                        cfg.walk,
                        SeedSet.isStale(seedEdges, now, cfg.walk.staleAfterMs));
        for (int i = 0; i < seedEdges.size; i++) {
            double w = weights.of(seedEdges.action[i], seedEdges.ts[i], seedEdges.weight[i]);
            if (recency != null) {
                w *= recency[i];
            }
            if (w > 0) {
                seeds.add(seedEdges.nbr[i], w);
            }
        }
    }

    /** Walkers on a seed item move to its contexts (the Item step). */
    private void itemHop(long request, long item, int walkers, long now) {
        int n = graph.indexOf(item);
        if (n < 0 || graph.kind(n) != GraphUpdate.ITEM_NODE) {
            absorbed += walkers;
            return;
        }
        graph.itemContexts(n, itemEdges);
        itemSampler.prepare(itemEdges, weights);
        KeyedSums next =
                itemSampler.sample(
                        walkers,
                        new SplittableRandom(NodeIds.mix(request, ItemStep.SALT, item, item)));
        if (next == null) {
            absorbed += walkers;
            return;
        }
        for (int i = 0; i < next.size(); i++) {
            contextHop(request, next.key(i), (int) next.sum(i), item, now);
        }
    }

    /**
     * The last hop: a walker group on a context sends its mass to items (the Context step), summed
     * per item (Rank).
     */
    private void contextHop(long request, long context, int walkers, long origin, long now) {
        int n = graph.indexOf(context);
        if (n < 0 || graph.kind(n) == GraphUpdate.ITEM_NODE) {
            absorbed += walkers;
            return;
        }
        if (n != preparedContext || now != preparedNow || graph.version() != preparedVersion) {
            graph.view(n, contextEdges);
            contextSampler.prepare(contextEdges, weights);
            preparedContext = n;
            preparedNow = now;
            preparedVersion = graph.version();
        }
        SplittableRandom rng =
                new SplittableRandom(NodeIds.mix(request, ContextStep.SALT, context, origin));
        int fanout = cfg.walk.lastHopFanout;
        if (fanout > 0) {
            // The job's spread, without the accounting tokens that let Rank count arrivals over the
            // network.
            int m = contextSampler.spreadMass(walkers, fanout, rng);
            if (m == 0) {
                absorbed += walkers;
                return;
            }
            for (int i = 0; i < m; i++) {
                // As the job carries it: a float on the hop, fixed point at Rank.
                mass.add(
                        contextSampler.key(i),
                        Math.round((double) (float) contextSampler.mass(i) * RankInput.MASS_UNIT));
            }
        } else {
            KeyedSums next = contextSampler.sample(walkers, rng);
            if (next == null) {
                absorbed += walkers;
                return;
            }
            for (int i = 0; i < next.size(); i++) {
                mass.add(next.key(i), Math.round((int) next.sum(i) * RankInput.MASS_UNIT));
            }
        }
    }

    /**
     * RP3β over the items the walk reached, history excluded; the k best by score, then id (as Rank
     * orders them).
     */
    private Answer rank(String requestId, int k, int walkers) {
        int size = mass.size();
        if (rp3.length < size) {
            int c = Math.max(size, rp3.length * 2);
            rp3 = new double[c];
            candidate = new int[c];
            node = new int[c];
        }
        int m = 0;
        double max = 0;
        int per = Math.max(1, walkers);
        for (int i = 0; i < size; i++) {
            long units = (long) mass.sum(i); // integer-valued sums below 2^53: exact
            if (units <= 0) {
                continue;
            }
            long key = mass.key(i);
            int n = graph.indexOf(key);
            if (n < 0
                    || graph.id(n) == null
                    || Arrays.binarySearch(exclude, 0, excluded, key) >= 0) {
                continue;
            }
            double s =
                    (units / RankInput.MASS_UNIT / per)
                            / Math.pow(Math.max(1, graph.degree(n)), plan.beta);
            rp3[m] = s;
            candidate[m] = i;
            node[m++] = n;
            max = Math.max(max, s);
        }
        // The top k by insertion into a short sorted list. The job's walk score is
        // (1 − blend) × RP3β / best + blend × max(0, cosine); the reference's cosine is 0.
        int top = Math.min(k, m);
        int[] best = new int[top];
        double[] bestScore = new double[top];
        int filled = 0;
        for (int c = 0; c < m; c++) {
            double walk = max > 0 ? rp3[c] / max : 0;
            double score =
                    (1 - plan.similarityBlend) * walk + plan.similarityBlend * Math.max(0, 0.0);
            String id = graph.id(node[c]);
            int at = filled;
            while (at > 0 && before(score, id, bestScore[at - 1], graph.id(node[best[at - 1]]))) {
                at--;
            }
            if (at >= top) {
                continue;
            }
            int last = Math.min(filled, top - 1);
            System.arraycopy(best, at, best, at + 1, last - at);
            System.arraycopy(bestScore, at, bestScore, at + 1, last - at);
            best[at] = c;
            bestScore[at] = score;
            if (filled < top) {
                filled++;
            }
        }
        String[] items = new String[top];
        double[] scores = new double[top];
        int[] visits = new int[top];
        for (int i = 0; i < top; i++) {
            items[i] = graph.id(node[best[i]]);
            scores[i] = Math.round(bestScore[i] * 1e6) / 1e6;
            visits[i] = (int) Math.round((long) mass.sum(candidate[best[i]]) / RankInput.MASS_UNIT);
        }
        return new Answer(requestId, items, scores, visits, walkers, absorbed);
    }

    /** Rank's order: a higher score first, then the smaller id. */
    private static boolean before(double score, String id, double otherScore, String otherId) {
        int c = Double.compare(score, otherScore);
        return c > 0 || (c == 0 && id.compareTo(otherId) < 0);
    }

    private void exclude(long key) {
        if (excluded == exclude.length) {
            exclude = Arrays.copyOf(exclude, excluded * 2);
        }
        exclude[excluded++] = key;
    }
}
