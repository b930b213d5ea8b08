package io.walkstream.rank;

import io.walkstream.model.NodeIds;
import io.walkstream.model.Plan;
import io.walkstream.model.RankInput;
import io.walkstream.model.RequestContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.ObjDoubleConsumer;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The recall sources of one request and their scores: walk (RP3β blended with cosine similarity and
 * the transitions' Markov score), transitions, follows, trending and embedding, each a list ranked
 * in the plan's order after its filters and minimum score.
 */
final class Sources {
    private Sources() {}

    /**
     * Every source the plan weighs, over the eligible candidates (not excluded, passing the plan's
     * filters).
     */
    static List<Combiner.Source<Candidate>> of(
            Collection<Candidate> items, RequestContext ctx, Plan plan, UserVector user) {
        List<Candidate> eligible = eligible(items, ctx, plan);
        List<Combiner.Source<Candidate>> sources = new ArrayList<>();
        if (plan.walkWeight > 0) {
            List<Candidate> walk = reached(eligible, c -> c.mass > 0);
            scoreWalk(walk, user, plan, Math.max(1, ctx.walkers));
            sources.add(
                    new Combiner.Source<>(
                            "walk", plan.walkWeight, ranked(walk, c -> c.walkScore, plan)));
        }
        if (plan.transitionsWeight > 0) {
            List<Candidate> next = reached(eligible, c -> c.nextMass > 0);
            normalise(next, c -> (double) c.nextMass, (c, s) -> c.nextScore = s);
            sources.add(
                    new Combiner.Source<>(
                            "transitions",
                            plan.transitionsWeight,
                            ranked(next, c -> c.nextScore, plan)));
        }
        if (plan.followsWeight > 0) {
            List<Candidate> follows = reached(eligible, c -> c.followMass > 0);
            normalise(
                    follows,
                    c -> c.followMass / Math.pow(Math.max(1, c.degree), plan.beta),
                    (c, s) -> c.followScore = s);
            sources.add(
                    new Combiner.Source<>(
                            "follows",
                            plan.followsWeight,
                            ranked(follows, c -> c.followScore, plan)));
        }
        if (plan.trendingWeight > 0) {
            List<Candidate> trending = reached(eligible, c -> c.trend > 0);
            normalise(trending, c -> c.trend, (c, s) -> c.trendScore = s);
            sources.add(
                    new Combiner.Source<>(
                            "trending",
                            plan.trendingWeight,
                            ranked(trending, c -> c.trendScore, plan)));
        }
        if (plan.embeddingWeight > 0) {
            List<Candidate> near = reached(eligible, c -> c.neighbour);
            for (Candidate c : near) {
                c.similarity = user.cosine(c.vector, c.supplied);
                c.neighbourScore = Math.max(0, c.similarity);
            }
            sources.add(
                    new Combiner.Source<>(
                            "embedding",
                            plan.embeddingWeight,
                            ranked(near, c -> c.neighbourScore, plan)));
        }
        return sources;
    }

    /**
     * Candidate scoring: every listed candidate gets its walk score, visited or not; the caller
     * filters.
     */
    static List<Combiner.Placed<Candidate>> scoreListed(
            List<Candidate> listed, RequestContext ctx, Plan plan, UserVector user) {
        scoreWalk(listed, user, plan, Math.max(1, ctx.walkers));
        listed.sort(order(c -> c.walkScore, Plan.SORT_DESC));
        return listed.stream().map(c -> new Combiner.Placed<>(c, "walk")).toList();
    }

    private static List<Candidate> reached(List<Candidate> eligible, Predicate<Candidate> by) {
        List<Candidate> out = new ArrayList<>();
        for (Candidate c : eligible) {
            if (by.test(c)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The plan's filters: categories and brands included or excluded, item age. */
    private static boolean passes(Candidate c, Plan p, long now) {
        long cat = c.category == null ? 0 : NodeIds.hash(NodeIds.category(c.category));
        long brand = c.brand == null ? 0 : NodeIds.hash(NodeIds.brand(c.brand));
        if (p.includeCategories != null && Arrays.binarySearch(p.includeCategories, cat) < 0) {
            return false;
        }
        if (p.excludeCategories != null && Arrays.binarySearch(p.excludeCategories, cat) >= 0) {
            return false;
        }
        if (p.includeBrands != null && Arrays.binarySearch(p.includeBrands, brand) < 0) {
            return false;
        }
        if (p.excludeBrands != null && Arrays.binarySearch(p.excludeBrands, brand) >= 0) {
            return false;
        }
        return p.maxItemAgeMs <= 0
                || c.firstSeen == Long.MAX_VALUE
                || now - c.firstSeen <= p.maxItemAgeMs;
    }

    /** Walk score: RP3β normalised by the best item, blended with cosine similarity. */
    private static void scoreWalk(List<Candidate> cs, UserVector user, Plan plan, int walkers) {
        double max = 0;
        long maxNext = 0;
        double[] rp3 = new double[cs.size()];
        for (int i = 0; i < cs.size(); i++) {
            Candidate c = cs.get(i);
            rp3[i] =
                    c.mass == 0
                            ? 0
                            : (c.mass / RankInput.MASS_UNIT / walkers)
                                    / Math.pow(Math.max(1, c.degree), plan.beta);
            max = Math.max(max, rp3[i]);
            maxNext = Math.max(maxNext, c.nextMass);
            c.similarity = user.cosine(c.vector, c.supplied);
        }
        // The transitions' part: what users did next after the seeds, weighed by the seeds (a
        // Markov score), relative to the best item's; integer masses, so the ratio is arrival-order
        // free. Without any (no transitions visible, or transitionShare 0) the walk keeps the whole
        // share.
        double tau = maxNext > 0 ? plan.transitionBlend : 0;
        for (int i = 0; i < cs.size(); i++) {
            Candidate c = cs.get(i);
            double walk = max > 0 ? rp3[i] / max : 0;
            double next = maxNext > 0 ? (double) c.nextMass / maxNext : 0;
            double lambda = plan.similarityBlend;
            double graph = (1 - lambda - tau) * walk + tau * next;
            double sim = Math.max(0, c.similarity);
            if (c.supplied && c.similarity != 0 && lambda < 1) {
                // Trained vectors take their own share; the walk and the transitions split the rest
                // in the proportions they have without them.
                double lambdaS = plan.suppliedSimilarityBlend;
                c.walkScore = lambdaS * sim + (1 - lambdaS) * graph / (1 - lambda);
            } else {
                c.walkScore = graph + lambda * sim;
            }
        }
    }

    private static void normalise(
            List<Candidate> cs, ToDoubleFunction<Candidate> raw, ObjDoubleConsumer<Candidate> set) {
        double max = 0;
        for (Candidate c : cs) {
            max = Math.max(max, raw.applyAsDouble(c));
        }
        for (Candidate c : cs) {
            set.accept(c, max > 0 ? raw.applyAsDouble(c) / max : 0);
        }
    }

    /** A source's list after the minimum-score filter, in the plan's sort order. */
    private static List<Candidate> ranked(
            List<Candidate> cs, ToDoubleFunction<Candidate> score, Plan p) {
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : cs) {
            if (score.applyAsDouble(c) >= p.minScore) {
                kept.add(c);
            }
        }
        kept.sort(order(score, p.sort));
        return kept;
    }

    private static Comparator<Candidate> order(ToDoubleFunction<Candidate> score, byte sort) {
        Comparator<Candidate> byScore = Comparator.comparingDouble(score);
        return (sort == Plan.SORT_ASC ? byScore : byScore.reversed())
                .thenComparing(c -> c.id == null ? "" : c.id);
    }

    /** The candidates with an id, not excluded, passing the plan's filters. */
    private static List<Candidate> eligible(
            Collection<Candidate> items, RequestContext ctx, Plan plan) {
        List<Candidate> eligible = new ArrayList<>();
        for (Candidate c : items) {
            if (c.id != null
                    && Arrays.binarySearch(ctx.exclude, c.key) < 0
                    && passes(c, plan, ctx.ts)) {
                eligible.add(c);
            }
        }
        return eligible;
    }
}
