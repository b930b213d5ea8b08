package io.walkstream.strategy;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Plan;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The strategies in force, by name, and how a request's channel becomes a plan: the channel's
 * strategy (or the default one), the variant the asker is assigned to, and the first fallback
 * strategy that exists, for users without history.
 */
public final class StrategyBook {
    private final StrategyCompiler compiler;
    private final String defaultName;
    private final Map<String, StrategySpec> byName = new HashMap<>();
    private final Map<String, Plan> compiled = new HashMap<>();

    public StrategyBook(JobConfig cfg, String defaultName) {
        this.compiler = new StrategyCompiler(cfg);
        this.defaultName = defaultName;
    }

    /**
     * Adds or replaces a strategy; returns its problems and keeps the previous version when there
     * are any.
     */
    public List<String> put(StrategySpec spec) {
        List<String> problems = compiler.problems(spec);
        if (problems.isEmpty()) {
            byName.put(spec.name, spec);
            compiled.clear();
        }
        return problems;
    }

    /**
     * A request's plan, and the plan for users without history (null when the strategy has none).
     */
    public record Resolved(Plan plan, Plan fallback) {}

    /**
     * The plans for a request on {@code channel} asked by {@code who} (user id, or item id when
     * anonymous); with the variant named {@code forcedVariant} (may be null) when the strategy has
     * one of that name. The fallback keeps the asker's own variant.
     */
    public Resolved resolve(String channel, String who, String forcedVariant) {
        StrategySpec spec =
                channel != null && byName.containsKey(channel)
                        ? byName.get(channel)
                        : byName.get(defaultName);
        if (spec == null) {
            return new Resolved(
                    compiled.computeIfAbsent("\u0000default", k -> compiler.defaultPlan()), null);
        }
        StrategySpec.Variant variant = StrategyCompiler.variantFor(spec, who, forcedVariant);
        StrategySpec fb = null;
        for (String f : spec.fallback) {
            if (byName.containsKey(f)) {
                fb = byName.get(f);
                break;
            }
        }
        StrategySpec.Variant fbVariant = fb == null ? null : StrategyCompiler.variantFor(fb, who);
        // A plan depends on the asker only through the variants drawn: cache per variant pair.
        String key =
                spec.name
                        + "\u0000"
                        + spec.version
                        + "\u0000"
                        + (variant == null ? "" : variant.name)
                        + "\u0000"
                        + (fb == null
                                ? ""
                                : fb.name
                                        + "\u0000"
                                        + fb.version
                                        + "\u0000"
                                        + (fbVariant == null ? "" : fbVariant.name));
        Plan plan = compiled.computeIfAbsent(key, k -> compiler.compile(spec, variant));
        Plan fallback = null;
        if (fb != null) {
            StrategySpec fallbackSpec = fb;
            String fbKey =
                    fb.name
                            + "\u0000"
                            + fb.version
                            + "\u0000"
                            + (fbVariant == null ? "" : fbVariant.name);
            fallback =
                    compiled.computeIfAbsent(fbKey, k -> compiler.compile(fallbackSpec, fbVariant));
        }
        return new Resolved(plan, fallback);
    }
}
