package io.walkstream.rank;

import io.walkstream.config.RankConfig;
import io.walkstream.graph.KeyedSums;
import io.walkstream.model.Action;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import io.walkstream.model.RecommendedItem;
import io.walkstream.model.RequestContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Explanations: which seeds led to an item, what the user did to them, and the reasons in words.
 */
final class Explainer {
    private final RankConfig cfg;

    Explainer(RankConfig cfg) {
        this.cfg = cfg;
    }

    /**
     * The answer's line for a placed item: its score in its source, visits, similarity and reasons.
     */
    RecommendedItem explain(
            Combiner.Placed<Candidate> p, RequestContext ctx, Map<Long, String> seedIds) {
        Candidate c = p.item();
        RecommendedItem ri = new RecommendedItem();
        ri.item = c.id;
        ri.source = p.source();
        ri.score =
                round(
                        switch (p.source()) {
                            case "follows" -> c.followScore;
                            case "trending" -> c.trendScore;
                            case "embedding" -> c.neighbourScore;
                            case "transitions" -> c.nextScore;
                            default -> c.walkScore;
                        });
        c.visits = (int) Math.round(c.mass / RankInput.MASS_UNIT);
        ri.visits = c.visits;
        ri.similarity = round(c.similarity);
        List<String> reasons = new ArrayList<>();
        if (p.source().equals("trending")) {
            reasons.add(Reasons.popularIn(c.category));
        }
        if (p.source().equals("embedding")) {
            reasons.add(Reasons.closeTo());
        }
        if (c.mass > 0) {
            List<String> via = viaSeeds(c, seedIds);
            ri.via = via.toArray(new String[0]);
            ri.contexts = c.vias.size();
            if (!via.isEmpty()) {
                reasons.add(
                        ctx.item != null
                                ? Reasons.similarTo(via)
                                : Reasons.becauseYou(did(via, c, ctx, seedIds)));
            }
            List<String> before = c.nextMass > 0 ? strongest(c.nextOrigins, seedIds) : List.of();
            if (!before.isEmpty()) {
                reasons.add(Reasons.oftenNextAfter(before));
            }
            if (c.followMass > 0) {
                reasons.add(Reasons.followed());
            }
            if (c.mass > c.nextMass) {
                reasons.add(Reasons.paths(ri.contexts, c.visits));
            }
        }
        if (c.similarity > 0) {
            reasons.add(Reasons.similarity(c.similarity));
        }
        ri.reasons = reasons.toArray(new String[0]);
        return ri;
    }

    /**
     * The seed items (external ids) with the most mass in {@code sums}, at most {@code
     * rank.reasonSeeds}.
     */
    private List<String> strongest(KeyedSums sums, Map<Long, String> seedIds) {
        Integer[] idx = new Integer[sums.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(
                idx,
                (a, b) ->
                        sums.sum(a) != sums.sum(b)
                                ? Double.compare(sums.sum(b), sums.sum(a))
                                : Long.compare(sums.key(a), sums.key(b)));
        List<String> out = new ArrayList<>();
        for (int i : idx) {
            String id = seedIds.get(sums.key(i));
            if (id != null && out.size() < cfg.reasonSeeds) {
                out.add(id);
            }
        }
        return out;
    }

    /**
     * The seed items whose walkers reached the item, most walkers first (followed users excluded).
     */
    private List<String> viaSeeds(Candidate c, Map<Long, String> seedIds) {
        Integer[] idx = new Integer[c.origins.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(
                idx,
                (a, b) -> {
                    int cmp = Double.compare(c.origins.sum(b), c.origins.sum(a));
                    return cmp != 0 ? cmp : Long.compare(c.origins.key(a), c.origins.key(b));
                });
        List<String> via = new ArrayList<>();
        for (Integer i : idx) {
            String seed = seedIds.get(c.origins.key(i));
            if (seed != null && via.size() < cfg.reasonSeeds) {
                via.add(seed);
            }
        }
        return via;
    }

    /** "bought a, b and viewed c": the seeds grouped by what the user did to them. */
    private static List<String> did(
            List<String> via, Candidate c, RequestContext ctx, Map<Long, String> seedIds) {
        Map<String, List<String>> byVerb = new LinkedHashMap<>();
        for (String seed : via) {
            byte action = Action.FOLLOW.code(); // unknown: "interacted with"
            if (ctx.seedKeys != null) {
                long key = NodeIds.hash(seed);
                for (int j = 0; j < ctx.seedKeys.length; j++) {
                    if (ctx.seedKeys[j] == key) {
                        action = ctx.seedActions[j];
                    }
                }
            }
            String verb = Reasons.did(action, "").trim();
            byVerb.computeIfAbsent(verb, v -> new ArrayList<>()).add(seed);
        }
        List<String> parts = new ArrayList<>();
        byVerb.forEach((verb, seeds) -> parts.add(verb + " " + String.join(", ", seeds)));
        return List.of(String.join(" and ", parts));
    }

    static double round(double x) {
        return Math.round(x * 1e6) / 1e6;
    }
}
