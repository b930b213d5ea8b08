package io.walkstream.rank;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.walkstream.config.RankConfig;
import io.walkstream.embed.Vectors;
import io.walkstream.graph.KeyedSums;
import io.walkstream.model.NodeIds;
import io.walkstream.model.Plan;
import io.walkstream.model.RankInput;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import io.walkstream.model.RequestContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns everything gathered for one request into the answer, following the request's strategy
 * plan: each recall source ranks the items it reached — walk: RP3β (visits / degree^β) blended
 * with cosine similarity to the user vector; follows: visits of walkers that started on followed
 * users; trending: the category's trend score — after the plan's filters; then the
 * {@link Combiner} interleaves the sources into k items, each with its reasons. Candidate-scoring
 * requests skip filters and combiner: every candidate gets its walk score. Pure: no Flink.
 */
public final class Ranker {
    private final RankConfig cfg;

    public Ranker(RankConfig cfg) {
        this.cfg = cfg;
    }

    /** What the walk, the trending lists and the probes learnt about one item. */
    static final class Candidate {
        final long key;
        String id;
        /** Expected walks that ended on the item, rounded (explanations). */
        int visits;
        /** Expected walker mass that arrived, in fixed point ({@link RankInput#MASS_UNIT} per walker). */
        long mass;
        long followMass;
        /** The part of {@link #mass} that came along transition edges (what users did next after a seed). */
        long nextMass;
        final KeyedSums nextOrigins = new KeyedSums(2);
        double trend;
        boolean neighbour;
        double neighbourScore;
        long degree;
        byte[] vector;
        boolean supplied;
        String model;
        String category;
        String brand;
        long firstSeen = Long.MAX_VALUE;
        final KeyedSums origins = new KeyedSums(4);
        final KeyedSums vias = new KeyedSums(4);
        double similarity;
        double walkScore;
        double followScore;
        double trendScore;
        double nextScore;

        Candidate(long key) {
            this.key = key;
        }

        void facts(RankInput in) {
            if (in.itemId != null) id = in.itemId;
            degree = Math.max(degree, in.degree);
            if (in.vector != null) {
                vector = in.vector;
                supplied = in.supplied;
                model = in.model;
            }
            if (in.category != null) category = in.category;
            if (in.brand != null) brand = in.brand;
            firstSeen = Math.min(firstSeen, in.firstSeen);
        }

        /**
         * Walkers from seed {@code origin} through context {@code via}, with {@code mass} in fixed point;
         * {@code via == origin}: along a transition edge, no context in between.
         */
        void arrive(long origin, long via, long mass, long[] followees) {
            this.mass += mass;
            if (followees != null && Arrays.binarySearch(followees, origin) >= 0) followMass += mass;
            origins.add(origin, mass); // integer-valued doubles below 2^53: exact, order-free sums
            if (via == origin) {
                nextMass += mass;
                nextOrigins.add(origin, mass);
            } else {
                vias.add(via, 1);
            }
        }
    }

    /** The inputs with every {@link RankInput#BATCH} opened: batching is transport, never a difference in the answer. */
    static List<RankInput> flatten(Iterable<RankInput> inputs) {
        List<RankInput> flat = new ArrayList<>();
        for (RankInput in : inputs) {
            if (in.kind == RankInput.BATCH) {
                flat.addAll(Arrays.asList(in.parts));
            } else {
                flat.add(in);
            }
        }
        return flat;
    }

    public Recommendation rank(RequestContext ctx, Iterable<RankInput> inputs, RankProgress progress, boolean timedOut,
                               long latencyMs) {
        inputs = flatten(inputs);
        if (ctx.inspect != null) {
            return inspection(ctx, inputs, timedOut, latencyMs);
        }
        Plan plan = ctx.plan != null ? ctx.plan : planFromConfig();
        Map<Long, Candidate> items = new HashMap<>();
        Map<Long, String> seedIds = new HashMap<>();
        List<RankInput> seeds = new ArrayList<>();
        for (RankInput in : inputs) {
            switch (in.kind) {
                case RankInput.ARRIVAL -> {
                    Candidate c = items.computeIfAbsent(in.item, Candidate::new);
                    c.facts(in);
                    c.arrive(in.origin, in.via, in.massUnits(), ctx.followees);
                }
                case RankInput.ARRIVALS -> {
                    Candidate c = items.computeIfAbsent(in.item, Candidate::new);
                    c.facts(in);
                    for (int i = 0; i < in.arrivalOrigins.length; i++) {
                        c.arrive(in.arrivalOrigins[i], in.arrivalVias[i], in.arrivalMass[i], ctx.followees);
                    }
                }
                case RankInput.TREND_ARRIVAL -> {
                    Candidate c = items.computeIfAbsent(in.item, Candidate::new);
                    c.facts(in);
                    c.trend = Math.max(c.trend, in.weight);
                }
                case RankInput.NEIGHBOUR_ARRIVAL -> {
                    Candidate c = items.computeIfAbsent(in.item, Candidate::new);
                    c.facts(in);
                    c.neighbour = true;
                }
                case RankInput.SEED_INFO -> {
                    if (in.itemId != null && in.weight > 0) seedIds.put(in.item, in.itemId);
                    seeds.add(in);
                }
                case RankInput.CANDIDATE_INFO -> items.computeIfAbsent(in.item, Candidate::new).facts(in);
                default -> { }
            }
        }
        // Summed in key order: floating-point sums then do not depend on message arrival order.
        seeds.sort(Comparator.comparingLong(in -> in.item));
        UserVector user = new UserVector();
        java.util.TreeSet<String> models = new java.util.TreeSet<>();
        for (RankInput in : seeds) {
            user.add(in.vector, in.supplied, in.weight);
            if (in.supplied && in.vector != null && in.model != null && in.weight != 0) models.add(in.model);
        }

        List<Combiner.Placed<Candidate>> placed;
        if (ctx.candidateMode()) {
            // Every listed candidate is scored, visited or not; the caller filters.
            List<Candidate> listed = new ArrayList<>();
            for (String id : ctx.candidates) {
                Candidate c = items.computeIfAbsent(NodeIds.hash(id), Candidate::new);
                c.id = id;
                if (!listed.contains(c)) listed.add(c);
            }
            scoreWalk(listed, user, plan, Math.max(1, ctx.walkers));
            listed.sort(order(c -> c.walkScore, Plan.SORT_DESC));
            placed = listed.stream().map(c -> new Combiner.Placed<>(c, "walk")).toList();
        } else {
            List<Candidate> eligible = new ArrayList<>();
            for (Candidate c : items.values()) {
                if (c.id != null && Arrays.binarySearch(ctx.exclude, c.key) < 0 && passes(c, plan, ctx.ts)) eligible.add(c);
            }
            List<Combiner.Source<Candidate>> sources = new ArrayList<>();
            if (plan.walkWeight > 0) {
                List<Candidate> walk = eligible.stream().filter(c -> c.mass > 0).collect(java.util.stream.Collectors.toList());
                scoreWalk(walk, user, plan, Math.max(1, ctx.walkers));
                sources.add(new Combiner.Source<>("walk", plan.walkWeight, ranked(walk, c -> c.walkScore, plan)));
            }
            if (plan.transitionsWeight > 0) {
                List<Candidate> next = eligible.stream().filter(c -> c.nextMass > 0).collect(java.util.stream.Collectors.toList());
                normalise(next, c -> (double) c.nextMass, (c, s) -> c.nextScore = s);
                sources.add(new Combiner.Source<>("transitions", plan.transitionsWeight, ranked(next, c -> c.nextScore, plan)));
            }
            if (plan.followsWeight > 0) {
                List<Candidate> follows = eligible.stream().filter(c -> c.followMass > 0).collect(java.util.stream.Collectors.toList());
                normalise(follows, c -> c.followMass / Math.pow(Math.max(1, c.degree), plan.beta), (c, s) -> c.followScore = s);
                sources.add(new Combiner.Source<>("follows", plan.followsWeight, ranked(follows, c -> c.followScore, plan)));
            }
            if (plan.trendingWeight > 0) {
                List<Candidate> trending = eligible.stream().filter(c -> c.trend > 0).collect(java.util.stream.Collectors.toList());
                normalise(trending, c -> c.trend, (c, s) -> c.trendScore = s);
                sources.add(new Combiner.Source<>("trending", plan.trendingWeight, ranked(trending, c -> c.trendScore, plan)));
            }
            if (plan.embeddingWeight > 0) {
                List<Candidate> near = eligible.stream().filter(c -> c.neighbour).collect(java.util.stream.Collectors.toList());
                for (Candidate c : near) {
                    c.similarity = user.cosine(c.vector, c.supplied);
                    c.neighbourScore = Math.max(0, c.similarity);
                }
                sources.add(new Combiner.Source<>("embedding", plan.embeddingWeight, ranked(near, c -> c.neighbourScore, plan)));
            }
            placed = Combiner.combine(sources, KEYS, ctx.k, plan.randomness, plan.maxPerCategory,
                    NodeIds.mix(NodeIds.hash(ctx.requestId), 0xc0b1L));
        }

        RecommendedItem[] out = new RecommendedItem[placed.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = explain(placed.get(i), ctx, seedIds);
            Candidate c = placed.get(i).item();
            if (c.supplied && c.vector != null && c.model != null) models.add(c.model);
        }
        Recommendation r = new Recommendation();
        r.requestId = ctx.requestId;
        r.user = ctx.user;
        r.item = ctx.item;
        r.channel = ctx.channel;
        if (ctx.plan != null) {
            r.strategy = plan.strategy;
            r.strategyVersion = plan.version;
            r.variant = plan.variant;
        }
        r.items = out;
        if (!models.isEmpty()) r.embeddingModels = models.toArray(new String[0]);
        r.walkers = ctx.walkers;
        r.arrived = progress.arrivedWalkers();
        r.absorbed = progress.absorbed;
        r.timedOut = timedOut;
        r.partial = timedOut || progress.absorbed > 0 || ctx.shed != null;
        r.shed = ctx.shed != null;
        r.shedReason = ctx.shed;
        r.latencyMs = latencyMs;
        return r;
    }

    /** {@code s} as a JSON string literal ({@code null} for null). */
    private static String jsonString(String s) {
        return s == null ? "null" : '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    /** An inspect answer: each step's part under its name, no items. */
    private static Recommendation inspection(RequestContext ctx, Iterable<RankInput> inputs, boolean timedOut, long latencyMs) {
        Map<String, String> parts = new java.util.TreeMap<>();
        for (RankInput in : inputs) {
            if (in.kind == RankInput.INSPECT_PART) parts.put(in.itemId, in.inspect);
        }
        StringBuilder json = new StringBuilder("{\"node\":").append(jsonString(ctx.inspect));
        for (String step : List.of("seed", "item", "context", "score")) {
            json.append(",\"").append(step).append("\":").append(parts.getOrDefault(step, "null"));
        }
        Recommendation r = new Recommendation();
        r.requestId = ctx.requestId;
        r.inspect = json.append('}').toString();
        r.items = new RecommendedItem[0];
        r.timedOut = timedOut;
        r.partial = timedOut;
        r.latencyMs = latencyMs;
        return r;
    }

    private static final Combiner.Keys<Candidate> KEYS = new Combiner.Keys<>() {
        @Override
        public long item(Candidate c) {
            return c.key;
        }

        @Override
        public String category(Candidate c) {
            return c.category;
        }
    };

    /** The plan's filters: categories and brands included or excluded, item age. */
    private static boolean passes(Candidate c, Plan p, long now) {
        long cat = c.category == null ? 0 : NodeIds.hash(NodeIds.category(c.category));
        long brand = c.brand == null ? 0 : NodeIds.hash(NodeIds.brand(c.brand));
        if (p.includeCategories != null && Arrays.binarySearch(p.includeCategories, cat) < 0) return false;
        if (p.excludeCategories != null && Arrays.binarySearch(p.excludeCategories, cat) >= 0) return false;
        if (p.includeBrands != null && Arrays.binarySearch(p.includeBrands, brand) < 0) return false;
        if (p.excludeBrands != null && Arrays.binarySearch(p.excludeBrands, brand) >= 0) return false;
        return p.maxItemAgeMs <= 0 || c.firstSeen == Long.MAX_VALUE || now - c.firstSeen <= p.maxItemAgeMs;
    }

    /** Walk score: RP3β normalised by the best item, blended with cosine similarity. */
    private static void scoreWalk(List<Candidate> cs, UserVector user, Plan plan, int walkers) {
        double max = 0;
        long maxNext = 0;
        double[] rp3 = new double[cs.size()];
        for (int i = 0; i < cs.size(); i++) {
            Candidate c = cs.get(i);
            rp3[i] = c.mass == 0 ? 0 : (c.mass / RankInput.MASS_UNIT / walkers) / Math.pow(Math.max(1, c.degree), plan.beta);
            max = Math.max(max, rp3[i]);
            maxNext = Math.max(maxNext, c.nextMass);
            c.similarity = user.cosine(c.vector, c.supplied);
        }
        // The transitions' part: what users did next after the seeds, weighed by the seeds (a Markov
        // score), relative to the best item's; integer masses, so the ratio is arrival-order free.
        // Without any (no transitions visible, or transitionShare 0) the walk keeps the whole share.
        double tau = maxNext > 0 ? plan.transitionBlend : 0;
        for (int i = 0; i < cs.size(); i++) {
            Candidate c = cs.get(i);
            double walk = max > 0 ? rp3[i] / max : 0;
            double next = maxNext > 0 ? (double) c.nextMass / maxNext : 0;
            c.walkScore = (1 - plan.similarityBlend - tau) * walk + plan.similarityBlend * Math.max(0, c.similarity)
                    + tau * next;
        }
    }

    private static void normalise(List<Candidate> cs, java.util.function.ToDoubleFunction<Candidate> raw,
                                  java.util.function.ObjDoubleConsumer<Candidate> set) {
        double max = 0;
        for (Candidate c : cs) max = Math.max(max, raw.applyAsDouble(c));
        for (Candidate c : cs) set.accept(c, max > 0 ? raw.applyAsDouble(c) / max : 0);
    }

    /** A source's list after the minimum-score filter, in the plan's sort order. */
    private static List<Candidate> ranked(List<Candidate> cs, java.util.function.ToDoubleFunction<Candidate> score, Plan p) {
        List<Candidate> kept = new ArrayList<>();
        for (Candidate c : cs) if (score.applyAsDouble(c) >= p.minScore) kept.add(c);
        kept.sort(order(score, p.sort));
        return kept;
    }

    private static Comparator<Candidate> order(java.util.function.ToDoubleFunction<Candidate> score, byte sort) {
        Comparator<Candidate> byScore = Comparator.comparingDouble(score);
        return (sort == Plan.SORT_ASC ? byScore : byScore.reversed()).thenComparing(c -> c.id == null ? "" : c.id);
    }

    private RecommendedItem explain(Combiner.Placed<Candidate> p, RequestContext ctx, Map<Long, String> seedIds) {
        Candidate c = p.item();
        RecommendedItem ri = new RecommendedItem();
        ri.item = c.id;
        ri.source = p.source();
        ri.score = round(switch (p.source()) {
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
                reasons.add(ctx.item != null ? Reasons.similarTo(via) : Reasons.becauseYou(did(via, c, ctx, seedIds)));
            }
            List<String> before = c.nextMass > 0 ? strongest(c.nextOrigins, seedIds) : List.of();
            if (!before.isEmpty()) reasons.add(Reasons.oftenNextAfter(before));
            if (c.followMass > 0) reasons.add(Reasons.followed());
            if (c.mass > c.nextMass) reasons.add(Reasons.paths(ri.contexts, c.visits));
        }
        if (c.similarity > 0) reasons.add(Reasons.similarity(c.similarity));
        ri.reasons = reasons.toArray(new String[0]);
        return ri;
    }

    /** The seed items (external ids) with the most mass in {@code sums}, at most {@code rank.reasonSeeds}. */
    private List<String> strongest(KeyedSums sums, Map<Long, String> seedIds) {
        Integer[] idx = new Integer[sums.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> sums.sum(a) != sums.sum(b) ? Double.compare(sums.sum(b), sums.sum(a))
                : Long.compare(sums.key(a), sums.key(b)));
        List<String> out = new ArrayList<>();
        for (int i : idx) {
            String id = seedIds.get(sums.key(i));
            if (id != null && out.size() < cfg.reasonSeeds) out.add(id);
        }
        return out;
    }

    /** The seed items whose walkers reached the item, most walkers first (followed users excluded). */
    private List<String> viaSeeds(Candidate c, Map<Long, String> seedIds) {
        Integer[] idx = new Integer[c.origins.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> {
            int cmp = Double.compare(c.origins.sum(b), c.origins.sum(a));
            return cmp != 0 ? cmp : Long.compare(c.origins.key(a), c.origins.key(b));
        });
        List<String> via = new ArrayList<>();
        for (Integer i : idx) {
            String seed = seedIds.get(c.origins.key(i));
            if (seed != null && via.size() < cfg.reasonSeeds) via.add(seed);
        }
        return via;
    }

    /** "bought a, b and viewed c": the seeds grouped by what the user did to them. */
    private static List<String> did(List<String> via, Candidate c, RequestContext ctx, Map<Long, String> seedIds) {
        Map<String, List<String>> byVerb = new LinkedHashMap<>();
        for (String seed : via) {
            byte action = io.walkstream.model.Action.FOLLOW.code(); // unknown: "interacted with"
            if (ctx.seedKeys != null) {
                long key = NodeIds.hash(seed);
                for (int j = 0; j < ctx.seedKeys.length; j++) {
                    if (ctx.seedKeys[j] == key) action = ctx.seedActions[j];
                }
            }
            String verb = Reasons.did(action, "").trim();
            byVerb.computeIfAbsent(verb, v -> new ArrayList<>()).add(seed);
        }
        List<String> parts = new ArrayList<>();
        byVerb.forEach((verb, seeds) -> parts.add(verb + " " + String.join(", ", seeds)));
        return List.of(String.join(" and ", parts));
    }


    private Plan planFromConfig() {
        Plan p = new Plan();
        p.walkWeight = 1;
        p.beta = cfg.beta;
        p.similarityBlend = cfg.similarityBlend;
        p.transitionBlend = cfg.transitionBlend;
        return p;
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

        /** A negative weight (a dislike) pulls the vector away from {@code v}. */
        void add(byte[] v, boolean isSupplied, double w) {
            if (v == null || w == 0 || Double.isNaN(w)) return;
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
