package io.walkstream.strategy;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Action;
import io.walkstream.model.NodeIds;
import io.walkstream.model.Plan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Validates a {@link StrategySpec} (every problem names its field) and compiles it into a {@link
 * Plan}.
 */
public final class StrategyCompiler {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Set<String> TYPES =
            Set.of("walk", "follows", "trending", "embedding", "transitions");

    private final JobConfig cfg;

    public StrategyCompiler(JobConfig cfg) {
        this.cfg = cfg;
    }

    public List<String> problems(StrategySpec s) {
        List<String> p = new ArrayList<>();
        if (s.name == null || !NAME.matcher(s.name).matches()) {
            p.add("name: 1 to 64 letters, digits, '_', '-' or '.', got " + s.name);
        }
        if (s.version < 1) {
            p.add("version: must be >= 1, got " + s.version);
        }
        sources(p, "sources", s.sources, true);
        filters(p, "filters", s.filters);
        combiner(p, "combiner", s.combiner);
        if (s.fallback != null) {
            for (int i = 0; i < s.fallback.size(); i++) {
                String f = s.fallback.get(i);
                if (f == null || !NAME.matcher(f).matches()) {
                    p.add("fallback[" + i + "]: not a strategy name: " + f);
                } else if (f.equals(s.name)) {
                    p.add("fallback[" + i + "]: a strategy cannot fall back to itself");
                }
            }
        }
        if (s.variants != null && !s.variants.isEmpty()) {
            int total = 0;
            Set<String> names = new HashSet<>();
            for (int i = 0; i < s.variants.size(); i++) {
                StrategySpec.Variant v = s.variants.get(i);
                String at = "variants[" + i + "]";
                if (v.name == null || !NAME.matcher(v.name).matches()) {
                    p.add(at + ".name: not a variant name: " + v.name);
                } else if (!names.add(v.name)) {
                    p.add(at + ".name: duplicate variant " + v.name);
                }
                if (v.share == null || v.share < 0 || v.share > 100) {
                    p.add(at + ".share: must be 0..100, got " + v.share);
                } else {
                    total += v.share;
                }
                if (v.sources != null) {
                    sources(p, at + ".sources", v.sources, true);
                }
                if (v.filters != null) {
                    filters(p, at + ".filters", v.filters);
                }
                if (v.combiner != null) {
                    combiner(p, at + ".combiner", v.combiner);
                }
            }
            if (total != 100) {
                p.add("variants: shares must add up to 100, got " + total);
            }
        }
        return p;
    }

    private void sources(
            List<String> p, String at, List<StrategySpec.Source> sources, boolean required) {
        if (sources == null || sources.isEmpty()) {
            if (required) {
                p.add(
                        at
                                + ": at least one source (walk, follows, trending, embedding or transitions)");
            }
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < sources.size(); i++) {
            StrategySpec.Source s = sources.get(i);
            String a = at + "[" + i + "]";
            if (s.type == null || !TYPES.contains(s.type)) {
                p.add(
                        a
                                + ".type: one of walk, follows, trending, embedding, transitions, got "
                                + s.type);
                continue;
            }
            if (!seen.add(s.type)) {
                p.add(a + ".type: " + s.type + " appears twice");
            }
            if (s.weight == null || !(s.weight > 0) || s.weight.isInfinite()) {
                p.add(a + ".weight: must be > 0, got " + s.weight);
            }
            if (s.walkers != null && (s.walkers < 1 || s.walkers > cfg.walk.maxWalkers)) {
                p.add(a + ".walkers: must be 1.." + cfg.walk.maxWalkers + ", got " + s.walkers);
            }
            if (s.maxSeeds != null && s.maxSeeds < 1) {
                p.add(a + ".maxSeeds: must be >= 1, got " + s.maxSeeds);
            }
            if (s.beta != null && !(s.beta >= 0 && s.beta <= 2)) {
                p.add(a + ".beta: must be in [0, 2], got " + s.beta);
            }
            blendProblems(p, a, s);
            if (s.halfLifeMs != null && s.halfLifeMs < 0) {
                p.add(a + ".halfLifeMs: must be >= 0, got " + s.halfLifeMs);
            }
            share(p, a + ".transitionShare", s.transitionShare);
            if (s.actionWeights != null) {
                s.actionWeights.forEach(
                        (k, v) -> {
                            Action act = Action.parse(k);
                            if (act == null || act.role() != Action.Role.EDGE) {
                                p.add(a + ".actionWeights." + k + ": not a graph action");
                            } else if (v == null || !(v >= 0) || v.isInfinite()) {
                                p.add(a + ".actionWeights." + k + ": must be >= 0, got " + v);
                            }
                        });
            }
            if (s.perSeed != null && (s.perSeed < 1 || s.perSeed > 100)) {
                p.add(a + ".perSeed: must be 1..100, got " + s.perSeed);
            }
            if (s.perCategory != null && (s.perCategory < 1 || s.perCategory > 100)) {
                p.add(a + ".perCategory: must be 1..100, got " + s.perCategory);
            }
            names(p, a + ".categories", s.categories);
        }
    }

    private static void filters(List<String> p, String at, StrategySpec.Filters f) {
        if (f == null) {
            return;
        }
        if (f.servedWithinMs != null && f.servedWithinMs < 0) {
            p.add(at + ".servedWithinMs: must be >= 0, got " + f.servedWithinMs);
        }
        share(p, at + ".minScore", f.minScore);
        if (f.maxItemAgeMs != null && f.maxItemAgeMs < 0) {
            p.add(at + ".maxItemAgeMs: must be >= 0, got " + f.maxItemAgeMs);
        }
        names(p, at + ".includeCategories", f.includeCategories);
        names(p, at + ".excludeCategories", f.excludeCategories);
        names(p, at + ".includeBrands", f.includeBrands);
        names(p, at + ".excludeBrands", f.excludeBrands);
    }

    private static void combiner(List<String> p, String at, StrategySpec.Combiner c) {
        if (c == null) {
            return;
        }
        share(p, at + ".randomness", c.randomness);
        if (c.maxPerCategory != null && c.maxPerCategory < 0) {
            p.add(at + ".maxPerCategory: must be >= 0, got " + c.maxPerCategory);
        }
        if (c.sort != null && !c.sort.equals("desc") && !c.sort.equals("asc")) {
            p.add(at + ".sort: desc or asc, got " + c.sort);
        }
    }

    private static void names(List<String> p, String at, List<String> names) {
        if (names == null) {
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (n == null || n.isBlank()) {
                p.add(at + "[" + i + "]: must not be empty");
            }
        }
    }

    /** A walk source's score shares: each in [0, 1], similarity and transitions at most 1. */
    private void blendProblems(List<String> p, String a, StrategySpec.Source s) {
        share(p, a + ".similarityBlend", s.similarityBlend);
        share(p, a + ".suppliedSimilarityBlend", s.suppliedSimilarityBlend);
        share(p, a + ".transitionBlend", s.transitionBlend);
        double lambda = s.similarityBlend != null ? s.similarityBlend : cfg.rank.similarityBlend;
        double tau = s.transitionBlend != null ? s.transitionBlend : cfg.rank.transitionBlend;
        if ((s.similarityBlend != null || s.transitionBlend != null) && lambda + tau > 1 + 1e-9) {
            p.add(
                    a
                            + ": similarityBlend + transitionBlend must be at most 1, got "
                            + (lambda + tau));
        }
    }

    /** A share, when given: in [0, 1]. */
    private static void share(List<String> p, String name, Double value) {
        if (value != null && !(value >= 0 && value <= 1)) {
            p.add(name + ": must be in [0, 1], got " + value);
        }
    }

    /**
     * The variant a user (or anonymous item request) gets: a stable hash of who asks and the
     * strategy.
     */
    public static StrategySpec.Variant variantFor(StrategySpec s, String who) {
        return variantFor(s, who, null);
    }

    /** The variant named {@code forced} if the strategy has it, else the asker's own. */
    public static StrategySpec.Variant variantFor(StrategySpec s, String who, String forced) {
        if (s.variants == null || s.variants.isEmpty()) {
            return null;
        }
        if (forced != null) {
            for (StrategySpec.Variant v : s.variants) {
                if (forced.equals(v.name)) {
                    return v;
                }
            }
        }
        long bucket =
                Math.floorMod(
                        NodeIds.mix(NodeIds.hash(who == null ? "" : who), NodeIds.hash(s.name)),
                        100L);
        int upTo = 0;
        for (StrategySpec.Variant v : s.variants) {
            upTo += v.share;
            if (bucket < upTo) {
                return v;
            }
        }
        return s.variants.get(s.variants.size() - 1);
    }

    /** Compiles a valid spec, with a variant's overrides applied when given. */
    // A long list, not phases: one plan field after another, each from the variant, the strategy or
    // the job's default.
    @SuppressWarnings("checkstyle:MethodLength")
    public Plan compile(StrategySpec s, StrategySpec.Variant variant) {
        List<StrategySpec.Source> sources =
                variant != null && variant.sources != null ? variant.sources : s.sources;
        StrategySpec.Filters f =
                variant != null && variant.filters != null ? variant.filters : s.filters;
        StrategySpec.Combiner c =
                variant != null && variant.combiner != null ? variant.combiner : s.combiner;
        Plan p = new Plan();
        p.strategy = s.name;
        p.version = s.version;
        p.variant = variant == null ? null : variant.name;
        p.walkers = cfg.walk.walkers;
        p.maxSeeds = cfg.walk.maxSeeds;
        p.beta = cfg.rank.beta;
        p.similarityBlend = cfg.rank.similarityBlend;
        p.suppliedSimilarityBlend = cfg.rank.suppliedSimilarityBlend;
        p.transitionBlend = cfg.rank.transitionBlend;
        p.trendingPerCategory = 10;
        p.embeddingPerSeed = 10;
        for (StrategySpec.Source src : sources) {
            switch (src.type) {
                case "walk" -> {
                    p.walkWeight = src.weight;
                    if (src.walkers != null) {
                        p.walkers = src.walkers;
                    }
                    if (src.maxSeeds != null) {
                        p.maxSeeds = src.maxSeeds;
                    }
                    if (src.beta != null) {
                        p.beta = src.beta;
                    }
                    if (src.similarityBlend != null) {
                        p.similarityBlend = src.similarityBlend;
                    }
                    if (src.suppliedSimilarityBlend != null) {
                        p.suppliedSimilarityBlend = src.suppliedSimilarityBlend;
                    }
                    if (src.transitionBlend != null) {
                        p.transitionBlend = src.transitionBlend;
                    }
                    if (src.halfLifeMs != null) {
                        p.halfLifeMs = src.halfLifeMs;
                    }
                    if (src.transitionShare != null) {
                        p.transitionShare = src.transitionShare;
                    }
                    if (src.actionWeights != null) {
                        p.actionWeights = weights(src.actionWeights);
                    }
                }
                case "follows" -> p.followsWeight = src.weight;
                case "transitions" -> p.transitionsWeight = src.weight;
                case "trending" -> {
                    p.trendingWeight = src.weight;
                    if (src.perCategory != null) {
                        p.trendingPerCategory = src.perCategory;
                    }
                    if (src.categories != null && !src.categories.isEmpty()) {
                        p.trendingCategories = src.categories.toArray(new String[0]);
                    }
                }
                case "embedding" -> {
                    p.embeddingWeight = src.weight;
                    if (src.perSeed != null) {
                        p.embeddingPerSeed = src.perSeed;
                    }
                }
                default ->
                        throw new IllegalArgumentException("unvalidated source type " + src.type);
            }
        }
        StrategySpec.Filters df = new StrategySpec.Filters();
        p.excludeInteracted = or(f.excludeInteracted, df.excludeInteracted);
        p.excludeDisliked = or(f.excludeDisliked, df.excludeDisliked);
        p.servedWithinMs = or(f.servedWithinMs, 0L);
        p.includeCategories = keys(f.includeCategories, NodeIds::category);
        p.excludeCategories = keys(f.excludeCategories, NodeIds::category);
        p.includeBrands = keys(f.includeBrands, NodeIds::brand);
        p.excludeBrands = keys(f.excludeBrands, NodeIds::brand);
        p.minScore = or(f.minScore, 0.0);
        p.maxItemAgeMs = or(f.maxItemAgeMs, 0L);
        p.randomness = or(c.randomness, 0.0);
        p.maxPerCategory = or(c.maxPerCategory, 0);
        p.sort = "asc".equals(c.sort) ? Plan.SORT_ASC : Plan.SORT_DESC;
        return p;
    }

    /** The plan used when no strategy is configured: the job's own settings, one walk source. */
    public Plan defaultPlan() {
        StrategySpec s = new StrategySpec();
        s.name = "default";
        StrategySpec.Source walk = new StrategySpec.Source();
        walk.type = "walk";
        s.sources.add(walk);
        return compile(s, null);
    }

    private static float[] weights(Map<String, Float> byName) {
        float[] w = new float[Action.values().length];
        byName.forEach((k, v) -> w[Action.parse(k.toLowerCase(Locale.ROOT)).code()] = v);
        return w;
    }

    private static long[] keys(List<String> names, Function<String, String> id) {
        if (names == null || names.isEmpty()) {
            return null;
        }
        return names.stream().mapToLong(n -> NodeIds.hash(id.apply(n))).sorted().toArray();
    }

    private static <T> T or(T value, T otherwise) {
        return value != null ? value : otherwise;
    }
}
