package io.walkstream.rank;

import io.walkstream.config.RankConfig;
import io.walkstream.embed.Vectors;
import io.walkstream.graph.KeyedSums;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import io.walkstream.model.RequestContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns everything gathered for one request into the answer: RP3β scores (visits / degree^β),
 * blended with the cosine similarity between each item's vector and the user vector (the weighted
 * mean of the seed items' vectors); exclusions; top-k; reasons. Pure: no Flink, easy to test.
 */
public final class Ranker {
    private final RankConfig cfg;

    public Ranker(RankConfig cfg) {
        this.cfg = cfg;
    }

    /** What the walk and the probes learnt about one item. */
    static final class Candidate {
        final long key;
        String id;
        int visits;
        long degree;
        byte[] vector;
        boolean supplied;
        final KeyedSums origins = new KeyedSums(4);
        final KeyedSums vias = new KeyedSums(4);
        double rp3;
        double similarity;
        double score;

        Candidate(long key) {
            this.key = key;
        }

        void facts(RankInput in) {
            if (in.itemId != null) id = in.itemId;
            degree = Math.max(degree, in.degree);
            if (in.vector != null) {
                vector = in.vector;
                supplied = in.supplied;
            }
        }
    }

    public Recommendation rank(RequestContext ctx, Iterable<RankInput> inputs, RankProgress progress, boolean timedOut,
                               long latencyMs) {
        Map<Long, Candidate> items = new HashMap<>();
        Map<Long, String> seedIds = new HashMap<>();
        List<RankInput> seeds = new ArrayList<>();
        for (RankInput in : inputs) {
            switch (in.kind) {
                case RankInput.ARRIVAL -> {
                    Candidate c = items.computeIfAbsent(in.item, Candidate::new);
                    c.facts(in);
                    c.visits += in.walkers;
                    c.origins.add(in.origin, in.walkers);
                    c.vias.add(in.via, 1);
                }
                case RankInput.SEED_INFO -> {
                    if (in.itemId != null) seedIds.put(in.item, in.itemId);
                    seeds.add(in);
                }
                case RankInput.CANDIDATE_INFO -> items.computeIfAbsent(in.item, Candidate::new).facts(in);
                default -> { }
            }
        }

        // Summed in key order: floating-point sums then do not depend on message arrival order.
        seeds.sort(Comparator.comparingLong(in -> in.item));
        UserVector user = new UserVector();
        for (RankInput in : seeds) {
            user.add(in.vector, in.supplied, in.weight);
        }

        List<Candidate> scored = new ArrayList<>();
        if (ctx.candidateMode()) {
            // Every listed candidate is scored, visited or not; the caller filters.
            for (String id : ctx.candidates) {
                Candidate c = items.computeIfAbsent(NodeIds.hash(id), Candidate::new);
                c.id = id;
                if (!scored.contains(c)) scored.add(c);
            }
        } else {
            for (Candidate c : items.values()) {
                if (c.visits > 0 && c.id != null && Arrays.binarySearch(ctx.exclude, c.key) < 0) {
                    scored.add(c);
                }
            }
        }
        score(scored, user, Math.max(1, ctx.walkers));
        scored.sort(Comparator.comparingDouble((Candidate c) -> -c.score)
                .thenComparing(c -> c.id == null ? "" : c.id));

        int k = ctx.candidateMode() ? scored.size() : Math.min(ctx.k, scored.size());
        RecommendedItem[] out = new RecommendedItem[k];
        for (int i = 0; i < k; i++) {
            out[i] = explain(scored.get(i), seedIds, ctx.item != null);
        }

        Recommendation r = new Recommendation();
        r.requestId = ctx.requestId;
        r.user = ctx.user;
        r.item = ctx.item;
        r.channel = ctx.channel;
        r.items = out;
        r.walkers = ctx.walkers;
        r.arrived = progress.arrived;
        r.absorbed = progress.absorbed;
        r.timedOut = timedOut;
        r.partial = timedOut || progress.absorbed > 0;
        r.latencyMs = latencyMs;
        return r;
    }

    private void score(List<Candidate> cs, UserVector user, int walkers) {
        double maxRp3 = 0;
        for (Candidate c : cs) {
            c.rp3 = c.visits == 0 ? 0 : ((double) c.visits / walkers) / Math.pow(Math.max(1, c.degree), cfg.beta);
            maxRp3 = Math.max(maxRp3, c.rp3);
            c.similarity = user.cosine(c.vector, c.supplied);
        }
        double blend = cfg.similarityBlend;
        for (Candidate c : cs) {
            double walk = maxRp3 > 0 ? c.rp3 / maxRp3 : 0;
            c.score = (1 - blend) * walk + blend * Math.max(0, c.similarity);
        }
    }

    private RecommendedItem explain(Candidate c, Map<Long, String> seedIds, boolean itemToItem) {
        RecommendedItem ri = new RecommendedItem();
        ri.item = c.id;
        ri.score = round(c.score);
        ri.visits = c.visits;
        ri.similarity = round(c.similarity);
        List<String> reasons = new ArrayList<>();
        if (c.visits > 0) {
            Integer[] idx = new Integer[c.origins.size()];
            for (int i = 0; i < idx.length; i++) idx[i] = i;
            Arrays.sort(idx, (a, b) -> {
                int cmp = Double.compare(c.origins.sum(b), c.origins.sum(a));
                return cmp != 0 ? cmp : Long.compare(c.origins.key(a), c.origins.key(b));
            });
            List<String> via = new ArrayList<>();
            int fromFollows = 0;
            for (Integer i : idx) {
                String seed = seedIds.get(c.origins.key(i));
                if (seed == null) {
                    fromFollows += (int) c.origins.sum(i);
                } else if (via.size() < cfg.reasonSeeds) {
                    via.add(seed);
                }
            }
            ri.via = via.toArray(new String[0]);
            ri.contexts = c.vias.size();
            if (!via.isEmpty()) {
                reasons.add((itemToItem ? "similar to " : "because you interacted with ") + String.join(", ", via));
            }
            if (fromFollows > 0) {
                reasons.add("engaged by people you follow");
            }
            reasons.add("reached through " + ri.contexts + (ri.contexts == 1 ? " context" : " contexts")
                    + " (" + c.visits + (c.visits == 1 ? " walk" : " walks") + ")");
        }
        if (c.similarity > 0) {
            reasons.add(String.format(Locale.ROOT, "vector similarity %.2f", c.similarity));
        }
        ri.reasons = reasons.toArray(new String[0]);
        return ri;
    }

    private static double round(double x) {
        return Math.round(x * 1e6) / 1e6;
    }

    /**
     * The user (or query item) vector: the weighted mean of the seeds' unit vectors, kept per space —
     * supplied vectors and built-in ones are not comparable, so each candidate is compared with the
     * seeds of its own space.
     */
    static final class UserVector {
        double[] builtin;
        double[] supplied;

        void add(byte[] v, boolean isSupplied, double w) {
            if (v == null || !(w > 0)) return;
            if (isSupplied) {
                if (supplied == null) supplied = new double[v.length];
                if (supplied.length == v.length) Vectors.addUnit(supplied, v, w);
            } else {
                if (builtin == null) builtin = new double[v.length];
                if (builtin.length == v.length) Vectors.addUnit(builtin, v, w);
            }
        }

        double cosine(byte[] v, boolean isSupplied) {
            return v == null ? 0 : Vectors.cosine(isSupplied ? supplied : builtin, v);
        }
    }
}
