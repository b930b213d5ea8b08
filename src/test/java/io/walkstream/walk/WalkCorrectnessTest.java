package io.walkstream.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.io.JsonCodec;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RecommendedItem;
import io.walkstream.model.Request;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.JobRunner;
import io.walkstream.testing.RandomGraph;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The unrolled, distributed walk computes what the maths says: on a random graph of 300 nodes (120
 * users, 180 items, 8 categories), the share of walkers ending on each item matches the exact
 * three-step transition probabilities, and the RP3β ranking matches the exact RP3β ranking.
 */
class WalkCorrectnessTest {
    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    static final RandomGraph GRAPH = new RandomGraph(42, 120, 180, 8);
    static final long NOW = RandomGraph.T0 + 31 * RandomGraph.DAY;
    static final int WALKERS = 100_000;

    static JobConfig config(StateBackend backend) {
        JobConfig cfg = Clusters.config(backend);
        cfg.graph.halfLifeMs = 10 * RandomGraph.DAY;
        cfg.rank.similarityBlend = 0; // pure RP3β, comparable with the exact computation
        cfg.walk.seedHalfLife =
                0; // seeds by action weight and time decay only, as the exact computation weighs
        // them
        cfg.rank.beta = 0.5;
        cfg.walk.maxWalkers = WALKERS;
        cfg.walk.transitionShare =
                0; // the co-engagement walk alone; TransitionsTest checks the transitions hop
        cfg.graph.decayFloor = 0; // decay exactly as the exact computation weighs edges
        return cfg;
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void visitDistributionMatchesExactThreeStepProbabilities(StateBackend backend)
            throws Exception {
        JobConfig cfg = config(backend);
        cfg.rank.beta =
                0; // the score is then the walkers' mass on the item, relative to the best item's
        double[][] tv = distances(cfg, WALKERS);
        for (double[] d : tv) {
            assertThat(d[0]).isLessThan(0.005); // visits (the mass rounded to whole walks)
            assertThat(d[1]).isLessThan(0.001); // expected mass of the last hop (measured < 0.0001)
        }
    }

    /**
     * The last hop spreads expected mass (Rao-Blackwellised) instead of placing each walker on one
     * item: with 2,000 walkers the estimate is far closer to the exact distribution than one
     * walker, one item — the noise that dividing by degree^β amplifies on rarely reached items.
     */
    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void spreadingTheLastHopCutsTheSamplingNoise(StateBackend backend) throws Exception {
        JobConfig cfg = config(backend);
        cfg.rank.beta = 0;
        JobConfig unspread = config(backend);
        unspread.rank.beta = 0;
        unspread.walk.lastHopFanout = 0;
        double[][] spread = distances(cfg, 2_000);
        double[][] single = distances(unspread, 2_000);
        for (int u = 0; u < spread.length; u++) {
            assertThat(single[u][1])
                    .isCloseTo(
                            single[u][0],
                            Offset.offset(1e-4)); // without the spread, mass = whole walkers
            // measured: one item per walker 0.011-0.015, spread mass 0.0008-0.0019
            assertThat(spread[u][1]).isLessThan(0.005).isLessThan(single[u][1] / 4);
        }
    }

    /**
     * For users u0, u1, u2, candidate requests for every item (visits of own items included) with
     * the given walkers: per user, the total-variation distance to the exact three-step
     * distribution of {0: the visits (whole walks, rounded), 1: the mass, read from the scores (β
     * must be 0, no blend)}.
     */
    static double[][] distances(JobConfig cfg, int walkers) throws Exception {
        List<Request> requests = new ArrayList<>();
        List<String> users = List.of("u0", "u1", "u2");
        for (String user : users) {
            Request r = Request.forUser("tv-" + user, user, 10, NOW);
            r.candidates = GRAPH.allItems();
            r.walkers = walkers;
            requests.add(r);
        }
        JobRunner.Run run = JobRunner.run(cfg, GRAPH.events, requests);
        RandomGraph.Exact exact = GRAPH.new Exact(cfg.graph, NOW);
        double[][] out = new double[users.size()][];
        for (int u = 0; u < users.size(); u++) {
            Request r = requests.get(u);
            Recommendation rec = run.get(r.requestId);
            assertThat(rec.absorbed).isZero();
            assertThat(rec.arrived).isEqualTo(walkers);
            Map<String, Double> p3 = exact.threeStep(r.user);
            Map<String, Double> visits = new HashMap<>();
            Map<String, Double> mass = new HashMap<>();
            double scores = 0;
            for (RecommendedItem it : rec.items) {
                scores += it.score;
            }
            for (RecommendedItem it : rec.items) {
                visits.put(it.item, (double) it.visits / walkers);
                mass.put(it.item, it.score / scores);
            }
            out[u] = new double[] {tv(p3, visits), tv(p3, mass)};
            System.out.printf(
                    "%s %s, %d walkers, lastHopFanout %d: total-variation distance to the exact 3-step"
                            + " distribution over %d items: visits %.4f, mass %.4f%n",
                    cfg.job.stateBackend,
                    r.user,
                    walkers,
                    cfg.walk.lastHopFanout,
                    p3.size(),
                    out[u][0],
                    out[u][1]);
        }
        return out;
    }

    static double tv(Map<String, Double> p, Map<String, Double> q) {
        Set<String> all = new HashSet<>(p.keySet());
        all.addAll(q.keySet());
        double tv = 0;
        for (String j : all) {
            tv += Math.abs(p.getOrDefault(j, 0.0) - q.getOrDefault(j, 0.0));
        }
        return tv / 2;
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void rp3BetaRankingMatchesExactRp3Beta(StateBackend backend) throws Exception {
        JobConfig cfg = config(backend);
        List<Request> requests = new ArrayList<>();
        for (String user : List.of("u0", "u3", "u7")) {
            Request r = Request.forUser("rp3-" + user, user, 10, NOW);
            r.walkers = WALKERS;
            requests.add(r);
        }
        JobRunner.Run run = JobRunner.run(cfg, GRAPH.events, requests);
        RandomGraph.Exact exact = GRAPH.new Exact(cfg.graph, NOW);
        for (Request r : requests) {
            Map<String, Double> truth = exact.rp3(r.user, cfg.rank.beta);
            List<String> exactTop =
                    truth.entrySet().stream()
                            .sorted(
                                    Map.Entry.<String, Double>comparingByValue(
                                            Comparator.reverseOrder()))
                            .limit(10)
                            .map(Map.Entry::getKey)
                            .toList();
            List<String> got = Arrays.stream(run.get(r.requestId).items).map(i -> i.item).toList();
            System.out.printf(
                    "%s %s: walk top-10 %s%n%s %s: exact top-10 %s%n",
                    backend, r.user, got, backend, r.user, exactTop);
            assertThat(got).hasSize(10).doesNotContain(exact.history(r.user));
            assertThat(got.subList(0, 3)).containsExactlyElementsOf(exactTop.subList(0, 3));
            long overlap = got.stream().filter(exactTop::contains).count();
            assertThat(overlap).isGreaterThanOrEqualTo(8);
            // Wherever the exact scores differ by more than 10%, the walk orders them the same way.
            for (int a = 0; a < got.size(); a++) {
                for (int b = a + 1; b < got.size(); b++) {
                    assertThat(truth.get(got.get(a)))
                            .as("%s above %s", got.get(a), got.get(b))
                            .isGreaterThan(truth.get(got.get(b)) * 0.9);
                }
            }
        }
    }

    @Test
    void sameInputGivesIdenticalAnswersAcrossRunsAndBackends() throws Exception {
        List<Request> requests = new ArrayList<>();
        for (int u = 0; u < 12; u++) {
            requests.add(Request.forUser("d-u" + u, "u" + u, 10, NOW));
        }
        requests.add(Request.forItem("d-i0", "i0", 10, NOW));
        Request cands = Request.forUser("d-c", "u5", 10, NOW);
        cands.candidates = new String[] {"i1", "i2", "i3", "i50", "i99"};
        requests.add(cands);

        List<String> first =
                answers(JobRunner.run(config(StateBackend.HASHMAP), GRAPH.events, requests));
        List<String> second =
                answers(JobRunner.run(config(StateBackend.HASHMAP), GRAPH.events, requests));
        List<String> rocks =
                answers(JobRunner.run(config(StateBackend.ROCKSDB), GRAPH.events, requests));
        assertThat(first).hasSize(requests.size());
        assertThat(second).containsExactlyElementsOf(first);
        assertThat(rocks).containsExactlyElementsOf(first);
        // Batching is transport: one record per (request, subtask) or one per walker group, same
        // answers.
        JobConfig oneByOne = config(StateBackend.HASHMAP);
        oneByOne.walk.batching = false;
        JobConfig oneByOneRocks = config(StateBackend.ROCKSDB);
        oneByOneRocks.walk.batching = false;
        assertThat(answers(JobRunner.run(oneByOne, GRAPH.events, requests)))
                .containsExactlyElementsOf(first);
        assertThat(answers(JobRunner.run(oneByOneRocks, GRAPH.events, requests)))
                .containsExactlyElementsOf(first);
    }

    /** Answers as JSON without the (wall-clock) latency, in request-id order. */
    static List<String> answers(JobRunner.Run run) {
        return run.results().stream()
                .sorted(Comparator.comparing((Recommendation r) -> r.requestId))
                .peek(r -> r.latencyMs = 0)
                .map(JsonCodec::writeString)
                .toList();
    }
}
