package io.walkstream.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Action;
import io.walkstream.model.NodeIds;
import io.walkstream.model.Plan;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategyCompilerTest {
    static final JobConfig CFG = new JobConfig();
    static final StrategyCompiler COMPILER = new StrategyCompiler(CFG);

    @Test
    void theShippedStrategiesAreValid() throws Exception {
        List<StrategySpec> shipped = StrategyLoader.loadDir(Path.of("job-configs/strategies"));
        assertThat(shipped)
                .extracting(s -> s.name)
                .containsExactlyInAnyOrder("home", "similar-items", "cold-start");
        for (StrategySpec s : shipped) {
            assertThat(COMPILER.problems(s)).as(s.name).isEmpty();
        }
    }

    @Test
    void validationNamesTheFieldAndTheProblem() {
        StrategySpec s =
                StrategyLoader.parse(
                        """
                name: "bad name!"
                version: 0
                sources:
                  - type: walk
                    weight: -1
                    beta: 3
                    actionWeights: {teleport: 2}
                  - type: walk
                  - type: magic
                filters: {minScore: 2, servedWithinMs: -5, excludeCategories: [""]}
                combiner: {randomness: 1.5, sort: sideways}
                fallback: ["bad name!"]
                variants:
                  - {name: a, share: 70}
                  - {name: a, share: 20}
                """);
        assertThat(COMPILER.problems(s))
                .contains(
                        "name: 1 to 64 letters, digits, '_', '-' or '.', got bad name!",
                        "version: must be >= 1, got 0",
                        "sources[0].weight: must be > 0, got -1.0",
                        "sources[0].beta: must be in [0, 2], got 3.0",
                        "sources[0].actionWeights.teleport: not a graph action",
                        "sources[1].type: walk appears twice",
                        "sources[2].type: one of walk, follows, trending, embedding, transitions, got magic",
                        "filters.servedWithinMs: must be >= 0, got -5",
                        "filters.minScore: must be in [0, 1], got 2.0",
                        "filters.excludeCategories[0]: must not be empty",
                        "combiner.randomness: must be in [0, 1], got 1.5",
                        "combiner.sort: desc or asc, got sideways",
                        "fallback[0]: not a strategy name: bad name!",
                        "variants[1].name: duplicate variant a",
                        "variants: shares must add up to 100, got 90");
        assertThat(
                        COMPILER.problems(
                                StrategyLoader.parse(
                                        "name: x\nsources: [{type: walk}]\nfallback: [x]\n")))
                .containsExactly("fallback[0]: a strategy cannot fall back to itself");
        assertThatThrownBy(() -> StrategyLoader.parse("name: x\nsorces: []\n"))
                .hasMessageContaining("sorces");
        assertThatThrownBy(
                        () ->
                                StrategyLoader.parse(
                                        "name: x\nsources: [{type: walk, weight: lots}]\n"))
                .hasMessageStartingWith("sources[0].weight");
    }

    @Test
    void compilesSourcesFiltersCombinerAndVariantOverrides() {
        StrategySpec s =
                StrategyLoader.parse(
                        """
                name: home
                version: 3
                sources:
                  - {type: walk, weight: 0.6, walkers: 500, beta: 0.7, halfLifeMs: 1000, actionWeights: {view: 2, purchase: 9}}
                  - {type: trending, weight: 0.4, categories: [shoes], perCategory: 5}
                filters: {excludeCategories: [toys], servedWithinMs: 60000}
                combiner: {randomness: 0.25, maxPerCategory: 2, sort: asc}
                variants:
                  - {name: a, share: 50}
                  - {name: b, share: 50, sources: [{type: follows, weight: 1}]}
                """);
        assertThat(COMPILER.problems(s)).isEmpty();
        Plan a = COMPILER.compile(s, s.variants.get(0));
        assertThat(a.label()).isEqualTo("home v3 (a)");
        assertThat(a.walkWeight).isEqualTo(0.6);
        assertThat(a.walkers).isEqualTo(500);
        assertThat(a.beta).isEqualTo(0.7);
        assertThat(a.halfLifeMs).isEqualTo(1000);
        assertThat(a.actionWeights[Action.PURCHASE.code()]).isEqualTo(9f);
        assertThat(a.actionWeights[Action.CLICK.code()]).isZero();
        assertThat(a.trendingCategories).containsExactly("shoes");
        assertThat(a.trendingPerCategory).isEqualTo(5);
        assertThat(a.excludeCategories).containsExactly(NodeIds.hash("category:toys"));
        assertThat(a.servedWithinMs).isEqualTo(60_000);
        assertThat(a.randomness).isEqualTo(0.25);
        assertThat(a.maxPerCategory).isEqualTo(2);
        assertThat(a.sort).isEqualTo(Plan.SORT_ASC);
        Plan b = COMPILER.compile(s, s.variants.get(1));
        assertThat(b.walkWeight).isZero();
        assertThat(b.followsWeight).isEqualTo(1.0);
        assertThat(b.excludeCategories)
                .containsExactly(NodeIds.hash("category:toys")); // not overridden
    }

    @Test
    void variantAssignmentIsStableAndFollowsTheShares() {
        StrategySpec s =
                StrategyLoader.parse(
                        """
                name: exp
                sources: [{type: walk}]
                variants: [{name: a, share: 70}, {name: b, share: 20}, {name: c, share: 10}]
                """);
        Map<String, Integer> counts = new HashMap<>();
        for (int u = 0; u < 20_000; u++) {
            String v = StrategyCompiler.variantFor(s, "u:" + u).name;
            assertThat(StrategyCompiler.variantFor(s, "u:" + u).name).isEqualTo(v);
            counts.merge(v, 1, Integer::sum);
        }
        assertThat(counts.get("a") / 20_000.0).isBetween(0.68, 0.72);
        assertThat(counts.get("b") / 20_000.0).isBetween(0.18, 0.22);
        assertThat(counts.get("c") / 20_000.0).isBetween(0.08, 0.12);
    }

    @Test
    void aRequestCanNameTheVariantToAnswerWith() {
        StrategyBook book = new StrategyBook(CFG, "exp");
        assertThat(
                        book.put(
                                StrategyLoader.parse(
                                        """
                name: exp
                sources: [{type: walk}]
                variants: [{name: a, share: 50}, {name: b, share: 50}]
                """)))
                .isEmpty();
        for (int u = 0; u < 20; u++) {
            String who = "u:" + u;
            String own = book.resolve("exp", who, null).plan().variant;
            String other = own.equals("a") ? "b" : "a";
            assertThat(book.resolve("exp", who, other).plan().variant).isEqualTo(other);
            assertThat(book.resolve("exp", who, own).plan().variant).isEqualTo(own);
            // An unknown name leaves the asker's own assignment.
            assertThat(book.resolve("exp", who, "nope").plan().variant).isEqualTo(own);
        }
    }

    @Test
    void theBookResolvesChannelsDefaultsAndFallbacks() {
        StrategyBook book = new StrategyBook(CFG, "home");
        assertThat(book.resolve("anything", "u:1", null).plan().strategy)
                .isEqualTo("default"); // nothing configured
        assertThat(
                        book.put(
                                StrategyLoader.parse(
                                        "name: home\nsources: [{type: walk}]\nfallback: [missing, cold]\n")))
                .isEmpty();
        assertThat(
                        book.put(
                                StrategyLoader.parse(
                                        "name: cold\nsources: [{type: trending, categories: [c1]}]\n")))
                .isEmpty();
        StrategyBook.Resolved r = book.resolve("unknown-channel", "u:1", null);
        assertThat(r.plan().strategy).isEqualTo("home");
        assertThat(r.fallback().strategy).isEqualTo("cold");
        assertThat(book.put(StrategyLoader.parse("name: home\nversion: 2\nsources: []\n")))
                .isNotEmpty();
        assertThat(book.resolve("home", "u:1", null).plan().version)
                .isEqualTo(1); // the invalid version did not replace it
    }

    @Test
    void aWalkSourceSetsItsTransitionBlendWithinWhatTheSimilarityBlendLeaves() {
        StrategySpec ok =
                StrategyLoader.parse(
                        "name: x\nsources: [{type: walk, transitionBlend: 0.5, similarityBlend: 0.1}]\n");
        assertThat(COMPILER.problems(ok)).isEmpty();
        Plan p = COMPILER.compile(ok, null);
        assertThat(p.transitionBlend).isEqualTo(0.5);
        assertThat(p.similarityBlend).isEqualTo(0.1);
        assertThat(
                        COMPILER.compile(
                                        StrategyLoader.parse("name: y\nsources: [{type: walk}]\n"),
                                        null)
                                .transitionBlend)
                .isEqualTo(CFG.rank.transitionBlend);
        assertThat(
                        COMPILER.problems(
                                StrategyLoader.parse(
                                        "name: z\nsources: [{type: walk, transitionBlend: 0.9, similarityBlend: 0.2}]\n")))
                .anyMatch(m -> m.contains("similarityBlend + transitionBlend must be at most 1"));
    }

    @Test
    void aWalkSourceSetsTheShareOfTrainedVectors() {
        StrategySpec s =
                StrategyLoader.parse(
                        "name: x\nsources: [{type: walk, suppliedSimilarityBlend: 0.4}]\n");
        assertThat(COMPILER.problems(s)).isEmpty();
        assertThat(COMPILER.compile(s, null).suppliedSimilarityBlend).isEqualTo(0.4);
        assertThat(
                        COMPILER.compile(
                                        StrategyLoader.parse("name: y\nsources: [{type: walk}]\n"),
                                        null)
                                .suppliedSimilarityBlend)
                .isEqualTo(CFG.rank.suppliedSimilarityBlend);
        assertThat(
                        COMPILER.problems(
                                StrategyLoader.parse(
                                        "name: z\nsources: [{type: walk, suppliedSimilarityBlend: 2}]\n")))
                .anyMatch(m -> m.contains("suppliedSimilarityBlend: must be in [0, 1]"));
    }
}
