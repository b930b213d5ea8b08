package io.walkstream.rank;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.walkstream.config.RankConfig;
import io.walkstream.model.NodeIds;
import io.walkstream.model.Plan;
import io.walkstream.model.RankInput;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import io.walkstream.model.RequestContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns everything gathered for one request into the answer, following the request's strategy plan:
 * each recall source ranks the items it reached — walk: RP3β (visits / degree^β) blended with
 * cosine similarity to the user vector; follows: visits of walkers that started on followed users;
 * trending: the category's trend score — after the plan's filters; then the {@link Combiner}
 * interleaves the sources into k items, each with its reasons. Candidate-scoring requests skip
 * filters and combiner: every candidate gets its walk score. Pure: no Flink.
 */
public final class Ranker {
    private final RankConfig cfg;
    private final Explainer explainer;

    public Ranker(RankConfig cfg) {
        this.cfg = cfg;
        this.explainer = new Explainer(cfg);
    }

    /**
     * The inputs with every {@link RankInput#BATCH} opened: batching is transport, never a
     * difference in the answer.
     */
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

    public Recommendation rank(
            RequestContext ctx,
            Iterable<RankInput> inputs,
            RankProgress progress,
            boolean timedOut,
            long latencyMs) {
        inputs = flatten(inputs);
        if (ctx.inspect != null) {
            return inspection(ctx, inputs, timedOut, latencyMs);
        }
        Plan plan = ctx.plan != null ? ctx.plan : planFromConfig();
        Evidence evidence = Evidence.of(ctx, inputs);
        List<Combiner.Placed<Candidate>> placed = place(ctx, plan, evidence);
        Recommendation r = answer(ctx, plan, progress, timedOut, latencyMs);
        r.items = new RecommendedItem[placed.size()];
        for (int i = 0; i < placed.size(); i++) {
            r.items[i] = explainer.explain(placed.get(i), ctx, evidence.seedIds);
            Candidate c = placed.get(i).item();
            if (c.supplied && c.vector != null && c.model != null) {
                evidence.models.add(c.model);
            }
        }
        if (!evidence.models.isEmpty()) {
            r.embeddingModels = evidence.models.toArray(new String[0]);
        }
        return r;
    }

    /**
     * The k items: the plan's sources interleaved by the combiner, or every listed candidate
     * scored.
     */
    private static List<Combiner.Placed<Candidate>> place(
            RequestContext ctx, Plan plan, Evidence evidence) {
        if (ctx.candidateMode()) {
            return Sources.scoreListed(evidence.listed(ctx.candidates), ctx, plan, evidence.user);
        }
        List<Combiner.Source<Candidate>> sources =
                Sources.of(evidence.items.values(), ctx, plan, evidence.user);
        return Combiner.combine(
                sources,
                KEYS,
                ctx.k,
                plan.randomness,
                plan.maxPerCategory,
                NodeIds.mix(NodeIds.hash(ctx.requestId), 0xc0b1L));
    }

    /** The answer's envelope: who asked, under which strategy, and how complete the walk was. */
    private static Recommendation answer(
            RequestContext ctx,
            Plan plan,
            RankProgress progress,
            boolean timedOut,
            long latencyMs) {
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
        return s == null
                ? "null"
                : '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    /** An inspect answer: each step's part under its name, no items. */
    private static Recommendation inspection(
            RequestContext ctx, Iterable<RankInput> inputs, boolean timedOut, long latencyMs) {
        Map<String, String> parts = new TreeMap<>();
        for (RankInput in : inputs) {
            if (in.kind == RankInput.INSPECT_PART) {
                parts.put(in.itemId, in.inspect);
            }
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

    private static final Combiner.Keys<Candidate> KEYS =
            new Combiner.Keys<>() {
                @Override
                public long item(Candidate c) {
                    return c.key;
                }

                @Override
                public String category(Candidate c) {
                    return c.category;
                }
            };

    private Plan planFromConfig() {
        Plan p = new Plan();
        p.walkWeight = 1;
        p.beta = cfg.beta;
        p.similarityBlend = cfg.similarityBlend;
        p.suppliedSimilarityBlend = cfg.suppliedSimilarityBlend;
        p.transitionBlend = cfg.transitionBlend;
        return p;
    }
}
