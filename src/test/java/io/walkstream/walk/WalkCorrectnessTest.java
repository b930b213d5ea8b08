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
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The unrolled, distributed walk computes what the maths says: on a random graph of 300 nodes
 * (120 users, 180 items, 8 categories), the share of walkers ending on each item matches the exact
 * three-step transition probabilities, and the RP3β ranking matches the exact RP3β ranking.
 */
class WalkCorrectnessTest {
    @RegisterExtension
    static final MiniClusterExtension MINI = Clusters.miniCluster();

    static final RandomGraph GRAPH = new RandomGraph(42, 120, 180, 8);
    static final long NOW = RandomGraph.T0 + 31 * RandomGraph.DAY;
    static final int WALKERS = 100_000;

    static JobConfig config(StateBackend backend) {
        JobConfig cfg = Clusters.config(backend);
        cfg.graph.halfLifeMs = 10 * RandomGraph.DAY;
        cfg.rank.similarityBlend = 0; // pure RP3β, comparable with the exact computation
        cfg.rank.beta = 0.5;
        cfg.walk.maxWalkers = WALKERS;
        return cfg;
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void visitDistributionMatchesExactThreeStepProbabilities(StateBackend backend) throws Exception {
        JobConfig cfg = config(backend);
        List<Request> requests = new ArrayList<>();
        for (String user : List.of("u0", "u1", "u2")) {
            Request r = Request.forUser("tv-" + user, user, 10, NOW);
            r.candidates = GRAPH.allItems(); // candidate mode reports the visits of every item, own items included
            r.walkers = WALKERS;
            requests.add(r);
        }
        JobRunner.Run run = JobRunner.run(cfg, GRAPH.events, requests);
        RandomGraph.Exact exact = GRAPH.new Exact(cfg.graph, NOW);
        for (Request r : requests) {
            Recommendation rec = run.get(r.requestId);
            assertThat(rec.absorbed).isZero();
            assertThat(rec.arrived).isEqualTo(WALKERS);
            Map<String, Double> p3 = exact.threeStep(r.user);
            Map<String, Double> observed = new HashMap<>();
            for (RecommendedItem it : rec.items) observed.put(it.item, (double) it.visits / WALKERS);
            Set<String> all = new HashSet<>(p3.keySet());
            all.addAll(observed.keySet());
            double tv = 0;
            for (String j : all) tv += Math.abs(p3.getOrDefault(j, 0.0) - observed.getOrDefault(j, 0.0));
            tv /= 2;
            System.out.printf("%s %s: total-variation distance to exact 3-step distribution = %.4f over %d items%n",
                    backend, r.user, tv, p3.size());
            assertThat(tv).isLessThan(0.05);
        }
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
            List<String> exactTop = truth.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                    .limit(10).map(Map.Entry::getKey).toList();
            List<String> got = java.util.Arrays.stream(run.get(r.requestId).items).map(i -> i.item).toList();
            System.out.printf("%s %s: walk top-10 %s%n%s %s: exact top-10 %s%n", backend, r.user, got, backend, r.user, exactTop);
            assertThat(got).hasSize(10).doesNotContain(exact.history(r.user));
            assertThat(got.subList(0, 3)).containsExactlyElementsOf(exactTop.subList(0, 3));
            long overlap = got.stream().filter(exactTop::contains).count();
            assertThat(overlap).isGreaterThanOrEqualTo(8);
            // Wherever the exact scores differ by more than 10%, the walk orders them the same way.
            for (int a = 0; a < got.size(); a++) {
                for (int b = a + 1; b < got.size(); b++) {
                    assertThat(truth.get(got.get(a))).as("%s above %s", got.get(a), got.get(b))
                            .isGreaterThan(truth.get(got.get(b)) * 0.9);
                }
            }
        }
    }

    @Test
    void sameInputGivesIdenticalAnswersAcrossRunsAndBackends() throws Exception {
        List<Request> requests = new ArrayList<>();
        for (int u = 0; u < 12; u++) requests.add(Request.forUser("d-u" + u, "u" + u, 10, NOW));
        requests.add(Request.forItem("d-i0", "i0", 10, NOW));
        Request cands = Request.forUser("d-c", "u5", 10, NOW);
        cands.candidates = new String[] {"i1", "i2", "i3", "i50", "i99"};
        requests.add(cands);

        List<String> first = answers(JobRunner.run(config(StateBackend.HASHMAP), GRAPH.events, requests));
        List<String> second = answers(JobRunner.run(config(StateBackend.HASHMAP), GRAPH.events, requests));
        List<String> rocks = answers(JobRunner.run(config(StateBackend.ROCKSDB), GRAPH.events, requests));
        assertThat(first).hasSize(requests.size());
        assertThat(second).containsExactlyElementsOf(first);
        assertThat(rocks).containsExactlyElementsOf(first);
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
