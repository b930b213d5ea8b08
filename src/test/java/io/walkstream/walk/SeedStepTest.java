package io.walkstream.walk;

import static io.walkstream.walk.StepHarness.side;
import static io.walkstream.walk.StepHarness.walkers;
import static io.walkstream.walk.StepHarness.watermark;
import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.config.WalkConfig;
import io.walkstream.model.Action;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import io.walkstream.model.Request;
import io.walkstream.model.RequestContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Seed step (keyed by user), one behaviour per test: the user's behaviour becomes seeds, a
 * request's walkers are split over them, Rank is told what to wait for, and each new interaction
 * sends transition edges from the user's previous items.
 */
class SeedStepTest {
    static final long T = 1_700_000_000_000L;
    static final long USER = NodeIds.hash("u:1");
    static final long A = NodeIds.hash("i:a");
    static final long B = NodeIds.hash("i:b");
    static final long C = NodeIds.hash("i:c");
    static final long D = NodeIds.hash("i:d");

    @Test
    void walkersAreSplitOverTheSeedItemsInProportionToActionWeight() throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.seedHalfLife = 0; // recency off: weights are action weight × decay
        try (var h = open(cfg)) {
            h.processElement1(interaction(A, Action.PURCHASE, T), T); // 8
            h.processElement1(interaction(B, Action.VIEW, T), T); // 1
            h.processElement2(request("r1", 900, T), T);

            List<Hop> out = h.extractOutputValues();
            assertThat(byNode(out)).isEqualTo(Map.of(A, 800, B, 100));
            assertThat(out)
                    .allMatch(
                            x ->
                                    x.kind == Hop.WALK
                                            && x.request == NodeIds.hash("r1")
                                            && x.origin == x.node
                                            && x.via == 0
                                            && x.ts == T
                                            && x.transitionShare == (float) cfg.walk.transitionShare
                                            && x.deadline == cfg.walk.timeoutMs);
        }
    }

    @Test
    void walkersCarryWhatTheRequestExcludesSoTheTransitionsHopCanSkipIt() throws Exception {
        JobConfig cfg = new JobConfig();
        try (var h = open(cfg)) {
            h.processElement1(interaction(A, Action.VIEW, T), T);
            h.processElement1(interaction(B, Action.VIEW, T + 1), T + 1);
            Request r = request("r1", 900, T + 1);
            r.exclude = new String[] {"i:d"};
            h.processElement2(r, T + 1);

            long[] excluded = context(h).exclude;
            assertThat(excluded).containsExactlyInAnyOrder(A, B, D).isSorted();
            assertThat(h.extractOutputValues())
                    .filteredOn(x -> x.kind == Hop.WALK)
                    .hasSize(2)
                    .allMatch(x -> Arrays.equals(x.exclude, excluded), "the context's exclusions");
        }
        cfg.walk.transitionShare = 0;
        try (var h = open(cfg)) {
            h.processElement1(interaction(A, Action.VIEW, T), T);
            h.processElement2(request("r2", 900, T), T);
            assertThat(h.extractOutputValues())
                    .filteredOn(x -> x.kind == Hop.WALK)
                    .isNotEmpty()
                    .allMatch(x -> x.exclude == null, "no transitions hop: nothing to skip");
        }
    }

    @Test
    void aStaleUsersWalkersFollowNoTransitionsAndItsSeedsNoRecency() throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.staleAfterMs = 3_600_000;
        long stale = cfg.walk.staleAfterMs;
        try (var h = open(cfg)) {
            h.processElement1(interaction(A, Action.VIEW, T), T);
            h.processElement1(interaction(B, Action.VIEW, T + 1), T + 1);
            // Just within the limit: recency weighs B (the latest) over A; transitions on.
            h.processElement2(request("fresh", 900, T + 1 + stale), T + 1 + stale);
            List<Hop> fresh = h.extractOutputValues();
            assertThat(byNode(fresh).get(B)).isGreaterThan(byNode(fresh).get(A));
            assertThat(fresh)
                    .filteredOn(x -> x.kind == Hop.WALK)
                    .isNotEmpty()
                    .allMatch(x -> x.transitionShare == (float) cfg.walk.transitionShare);
        }
        try (var h = open(cfg)) {
            h.processElement1(interaction(A, Action.VIEW, T), T);
            h.processElement1(interaction(B, Action.VIEW, T + 1), T + 1);
            // Past it: both seeds weigh the same, and no walker follows transitions.
            h.processElement2(request("stale", 900, T + 2 + stale), T + 2 + stale);
            List<Hop> out = h.extractOutputValues();
            assertThat(byNode(out)).isEqualTo(Map.of(A, 450, B, 450));
            assertThat(out)
                    .filteredOn(x -> x.kind == Hop.WALK)
                    .isNotEmpty()
                    .allMatch(x -> x.transitionShare == 0f);
        }
    }

    @Test
    void seedsFollowTheUsersMostRecentItems() throws Exception {
        try (var h = open(new JobConfig())) { // walk.seedHalfLife 2: weight halves every two
            // interactions back
            h.processElement1(interaction(A, Action.VIEW, T + 1), T + 1);
            h.processElement1(interaction(B, Action.VIEW, T + 2), T + 2);
            h.processElement1(interaction(C, Action.VIEW, T + 3), T + 3);
            h.processElement1(
                    interaction(D, Action.PURCHASE, T + 20),
                    T + 20); // after the request: not a seed
            h.processElement2(request("r1", 1000, T + 10), T + 10);

            Map<Long, Integer> seeds = byNode(h.extractOutputValues());
            assertThat(seeds).containsOnlyKeys(A, B, C);
            assertThat(seeds.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
            // recency 1, 2^-1/2, 2^-1 from the latest back (equal action weights; decay over ms is
            // ~1): 1000 × each / (1 + 0.7071 + 0.5), placed systematically (⌊⌋ or ⌈⌉)
            assertThat(seeds.get(C)).isBetween(453, 454); // 453.1
            assertThat(seeds.get(B)).isBetween(320, 321); // 320.4
            assertThat(seeds.get(A)).isBetween(226, 227); // 226.5
        }
    }

    @Test
    void aNewInteractionEmitsTransitionEdgesFromThePreviousItems() throws Exception {
        try (var h =
                open(windowOf(3))) { // weight 1/k for the k-th item back (HARMONIC, the default)
            h.processElement1(interaction(A, Action.VIEW, T + 1), T + 1);
            h.processElement1(interaction(B, Action.VIEW, T + 2), T + 2);
            h.processElement1(interaction(C, Action.VIEW, T + 3), T + 3);
            int before = side(h, Routes.TRANSITIONS).size();
            h.processElement1(interaction(D, Action.CART, T + 4), T + 4);

            List<GraphUpdate> sent = side(h, Routes.TRANSITIONS);
            assertThat(before).as("a → b; b → c, a → c").isEqualTo(3);
            List<GraphUpdate> fromD = sent.subList(before, sent.size());
            assertThat(fromD).extracting(t -> t.node).containsExactly(C, B, A);
            assertThat(fromD).extracting(t -> t.weight).containsExactly(1f, 1f / 2, 1f / 3);
            assertThat(fromD)
                    .allMatch(
                            t ->
                                    t.kind == GraphUpdate.TRANSITION
                                            && t.nbr == D
                                            && t.ts == T + 4
                                            && t.action == Action.CART.code()
                                            && t.nodeKind == GraphUpdate.ITEM_NODE);
        }
    }

    @Test
    void itemsStampedAtTheSameTimeGetTransitionEdgesBothWays() throws Exception {
        try (var h = open(windowOf(3))) {
            h.processElement1(interaction(A, Action.VIEW, T + 1), T + 1);
            h.processElement1(interaction(B, Action.VIEW, T + 2), T + 2);
            int before = side(h, Routes.TRANSITIONS).size();
            h.processElement1(interaction(C, Action.CART, T + 2), T + 2);

            List<GraphUpdate> fromC = side(h, Routes.TRANSITIONS);
            fromC = fromC.subList(before, fromC.size());
            // b and c share a timestamp: which came first is unknown, so b → c and c → b (with b's
            // action and weight); a came before both: a → c only.
            assertThat(fromC)
                    .extracting(t -> t.node + ">" + t.nbr + "@" + t.weight + "/" + t.action)
                    .containsExactly(
                            C + ">" + B + "@1.0/" + Action.VIEW.code(),
                            B + ">" + C + "@1.0/" + Action.CART.code(),
                            A + ">" + C + "@0.5/" + Action.CART.code());
        }
    }

    @Test
    void anItemTheWindowHoldsSeveralTimesGetsOneEdgeWithItsFactorsSummed() throws Exception {
        try (var h = open(windowOf(4))) {
            // The funnel of one item (view, cart) between two others: A, B, B, C, then D.
            h.processElement1(interaction(A, Action.VIEW, T + 1), T + 1);
            h.processElement1(interaction(B, Action.VIEW, T + 2), T + 2);
            h.processElement1(interaction(B, Action.CART, T + 3), T + 3);
            h.processElement1(interaction(C, Action.VIEW, T + 4), T + 4);
            int before = side(h, Routes.TRANSITIONS).size();
            h.processElement1(interaction(D, Action.PURCHASE, T + 5), T + 5);

            List<GraphUpdate> sent = side(h, Routes.TRANSITIONS);
            List<GraphUpdate> fromD = sent.subList(before, sent.size());
            // c 1 back (1), b 2 and 3 back (1/2 + 1/3), a 4 back (1/4): three edges, not four.
            assertThat(fromD).extracting(t -> t.node).containsExactly(C, B, A);
            assertThat(fromD)
                    .extracting(t -> t.weight)
                    .containsExactly(1f, (float) (1.0 / 2 + 1.0 / 3), 1f / 4);
            assertThat(fromD).allMatch(t -> t.nbr == D && t.ts == T + 5);
        }
    }

    @Test
    void actingOnTheSameItemAgainIsNoTransitionAndOnlyTheLastThreeItemsLead() throws Exception {
        try (var h = open(windowOf(3))) {
            long[] items = {A, B, C, D};
            for (int i = 0; i < items.length; i++) {
                h.processElement1(interaction(items[i], Action.VIEW, T + i), T + i);
            }
            int before = side(h, Routes.TRANSITIONS).size();
            h.processElement1(interaction(C, Action.VIEW, T + 9), T + 9);

            List<GraphUpdate> sent = side(h, Routes.TRANSITIONS);
            List<GraphUpdate> fromC = sent.subList(before, sent.size());
            assertThat(fromC)
                    .extracting(t -> t.node)
                    .as("d (1 back), b (3 back); not c itself (2 back); a is 4 back")
                    .containsExactly(D, B);
            assertThat(fromC)
                    .extracting(t -> t.weight)
                    .as("the skipped c still counts as a step back")
                    .containsExactly(1f, 1f / 3);
        }
    }

    @Test
    void rankIsToldExactlyTheWalkersAndProbesTheRequestSends() throws Exception {
        try (var h = open(new JobConfig())) {
            h.processElement1(interaction(A, Action.PURCHASE, T), T);
            h.processElement1(interaction(B, Action.VIEW, T + 1), T + 1);
            h.processElement1(interaction(C, Action.LIKE, T + 2), T + 2);
            h.processElement2(request("r1", 500, T + 5), T + 5);

            RequestContext rc = context(h);
            List<Hop> probes = side(h, Routes.HOPS_TO_SCORE);
            assertThat(rc.walkers).isEqualTo(500);
            assertThat(walkers(h.extractOutputValues())).isEqualTo(rc.walkers);
            assertThat(rc.absorbedAtSeed).isZero();
            assertThat(probes)
                    .hasSize(rc.probes)
                    .allMatch(p -> p.kind == Hop.SEED_PROBE && p.weight > 0);
            assertThat(probes).extracting(p -> p.node).containsExactlyInAnyOrder(A, B, C);
            assertThat(rc.seedKeys).containsExactlyInAnyOrder(A, B, C);
        }
    }

    @Test
    void aUserWithoutHistoryHasNoSeedsAndAllItsWalkersAreAbsorbedAtTheSeed() throws Exception {
        try (var h = open(new JobConfig())) {
            h.processElement2(request("r1", 250, T), T);

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(side(h, Routes.HOPS_TO_SCORE)).isEmpty();
            RequestContext rc = context(h);
            assertThat(rc.walkers).isEqualTo(250);
            assertThat(rc.absorbedAtSeed).isEqualTo(250);
            assertThat(rc.probes).isZero();
        }
    }

    @Test
    void walkersForAFollowedUserGoStraightToTheContextStep() throws Exception {
        long followed = NodeIds.hash("u:2");
        try (var h = open(new JobConfig())) {
            h.processElement1(GraphUpdate.of(GraphUpdate.FOLLOW, USER, followed, T), T);
            h.processElement2(request("r1", 100, T + 1), T + 1);

            assertThat(h.extractOutputValues()).as("no seed item").isEmpty();
            List<Hop> toContext = side(h, Routes.HOPS_TO_CONTEXT);
            assertThat(toContext).hasSize(1);
            assertThat(toContext.get(0).node).isEqualTo(followed);
            assertThat(toContext.get(0).origin).isEqualTo(followed);
            assertThat(toContext.get(0).walkers).isEqualTo(100);
            assertThat(side(h, Routes.HOPS_TO_SCORE)).as("a user has no vector to probe").isEmpty();
        }
    }

    @Test
    void aDislikedItemNeverSeedsAWalk() throws Exception {
        try (var h = open(new JobConfig())) {
            h.processElement1(interaction(A, Action.PURCHASE, T), T);
            h.processElement1(interaction(B, Action.VIEW, T), T);
            h.processElement1(GraphUpdate.of(GraphUpdate.NEGATIVE, USER, A, T + 1), T + 1);
            h.processElement2(request("r1", 100, T + 2), T + 2);

            assertThat(byNode(h.extractOutputValues())).isEqualTo(Map.of(B, 100));
        }
    }

    @ParameterizedTest
    @MethodSource("io.walkstream.walk.StepHarness#backends")
    void theSameRequestGivesTheSameHopsTwice(StateBackend backend) throws Exception {
        try (var h = StepHarness.open(new SeedStep(new JobConfig()), SeedStepTest::key, backend)) {
            for (int i = 0; i < 7; i++) {
                h.processElement1(
                        interaction(
                                NodeIds.hash("i:" + i),
                                i % 2 == 0 ? Action.VIEW : Action.CART,
                                T + i),
                        T + i);
            }
            h.processElement2(request("r1", 1001, T + 10), T + 10);
            List<String> first = describe(h.extractOutputValues());
            h.getOutput().clear();
            h.processElement2(request("r1", 1001, T + 10), T + 10);

            assertThat(first).hasSize(7);
            assertThat(describe(h.extractOutputValues())).isEqualTo(first);
        }
    }

    @Test
    void underWatermarkAlignmentARequestWaitsForTheUsersEventsUpToItsTime() throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.alignment = WalkConfig.Alignment.WATERMARK;
        try (var h = open(cfg)) {
            h.processElement2(request("r1", 100, T + 10), T + 10);
            h.processElement1(
                    interaction(A, Action.VIEW, T + 5), T + 5); // arrives after the request
            h.processElement1(
                    interaction(B, Action.VIEW, T + 11), T + 11); // after the request's time
            watermark(h, T + 9);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(side(h, Routes.TO_RANK)).isEmpty();

            watermark(h, T + 10);
            assertThat(byNode(h.extractOutputValues())).isEqualTo(Map.of(A, 100));
            assertThat(side(h, Routes.TRANSITIONS)).as("b not applied yet").isEmpty();
        }
    }

    @Test
    void withoutAlignmentARequestStartsOnArrivalWithTheHistorySeenSoFar() throws Exception {
        try (var h = open(new JobConfig())) {
            h.processElement2(request("r1", 100, T + 10), T + 10);
            h.processElement1(interaction(A, Action.VIEW, T + 5), T + 5);

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(context(h).absorbedAtSeed).isEqualTo(100);
        }
    }

    static JobConfig windowOf(int transitionWindow) {
        JobConfig cfg = new JobConfig();
        cfg.graph.transitionWindow = transitionWindow;
        return cfg;
    }

    static KeyedTwoInputStreamOperatorTestHarness<Long, GraphUpdate, Request, Hop> open(
            JobConfig cfg) throws Exception {
        return StepHarness.open(new SeedStep(cfg), SeedStepTest::key, new HashMapStateBackend());
    }

    static Long key(Request r) {
        return NodeIds.hash(r.seedKey());
    }

    static GraphUpdate interaction(long item, Action action, long ts) {
        return GraphUpdate.edge(USER, GraphUpdate.USER, item, action, ts, 1f);
    }

    static Request request(String id, int walkers, long ts) {
        Request r = Request.forUser(id, "u:1", 10, ts);
        r.walkers = walkers;
        return r;
    }

    /** The one request context sent to Rank. */
    static RequestContext context(
            KeyedTwoInputStreamOperatorTestHarness<Long, GraphUpdate, Request, Hop> h) {
        List<RankInput> contexts =
                side(h, Routes.TO_RANK).stream().filter(r -> r.kind == RankInput.CONTEXT).toList();
        assertThat(contexts).hasSize(1);
        return contexts.get(0).context;
    }

    static Map<Long, Integer> byNode(List<Hop> hops) {
        return hops.stream().collect(Collectors.toMap(x -> x.node, x -> x.walkers, Integer::sum));
    }

    static List<String> describe(List<Hop> hops) {
        return hops.stream().map(Hop::toString).toList();
    }
}
