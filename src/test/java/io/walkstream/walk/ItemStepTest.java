package io.walkstream.walk;

import static io.walkstream.walk.StepHarness.side;
import static io.walkstream.walk.StepHarness.walkers;
import static io.walkstream.walk.StepHarness.watermark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.walkstream.config.JobConfig;
import io.walkstream.config.WalkConfig;
import io.walkstream.model.Action;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.runtime.state.StateBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Item step (keyed by item), one behaviour per test: walkers on an item move to its users and
 * attributes, a share of them along its transition edges; metadata is diffed; updates and walkers
 * wait for the watermark under {@code walk.alignment: WATERMARK}.
 */
class ItemStepTest {
    static final long T = 1_700_000_000_000L;
    static final long ITEM = NodeIds.hash("i:1");
    static final long U1 = NodeIds.hash("u:1");
    static final long U2 = NodeIds.hash("u:2");
    static final long NEXT_B = NodeIds.hash("i:b");
    static final long NEXT_C = NodeIds.hash("i:c");
    static final long REQUEST = NodeIds.hash("r1");

    @Test
    void walkersOnAnItemMoveToItsUsersInProportionToEdgeWeight() throws Exception {
        try (var h = StepHarness.open(new ItemStep(new JobConfig()))) {
            h.processElement1(userEdge(U1, Action.PURCHASE, T), T); // weight 8
            h.processElement1(userEdge(U2, Action.VIEW, T), T); // weight 1
            Hop in = Hop.walk(REQUEST, ITEM, 900, ITEM, 0, T);
            in.deadline = 5_000;
            h.processElement2(in, T);

            List<Hop> out = h.extractOutputValues();
            assertThat(byNode(out)).isEqualTo(Map.of(U1, 800, U2, 100));
            assertThat(out)
                    .allMatch(
                            x ->
                                    x.kind == Hop.WALK
                                            && x.request == REQUEST
                                            && x.origin == ITEM
                                            && x.via == 0
                                            && x.ts == T
                                            && x.deadline == 5_000);
        }
    }

    @Test
    void aShareOfTheWalkersFollowsTheItemsTransitionsStraightToScoreAndNoWalkerIsLost()
            throws Exception {
        try (var h = StepHarness.open(new ItemStep(new JobConfig()))) {
            h.processElement1(userEdge(U1, Action.VIEW, T), T);
            h.processElement1(transition(NEXT_B, 1f), T);
            h.processElement1(transition(NEXT_C, 0.5f), T);
            Hop in = Hop.walk(REQUEST, ITEM, 1000, ITEM, 0, T);
            in.transitionShare = 0.3f;
            h.processElement2(in, T);

            List<Hop> diverted = side(h, Routes.HOPS_TO_SCORE);
            assertThat(diverted).extracting(x -> x.node).containsExactlyInAnyOrder(NEXT_B, NEXT_C);
            assertThat(diverted)
                    .allMatch(x -> x.via == ITEM && x.origin == ITEM, "via the seed itself");
            Map<Long, Double> mass =
                    diverted.stream()
                            .collect(Collectors.toMap(x -> x.node, x -> (double) x.weight));
            assertThat(mass.get(NEXT_B)).isCloseTo(200, within(1e-3)); // 300 walkers × 1 / 1.5
            assertThat(mass.get(NEXT_C)).isCloseTo(100, within(1e-3));
            assertThat(walkers(diverted)).isEqualTo(300 * Hop.TOKENS_PER_WALKER);
            assertThat(byNode(h.extractOutputValues())).isEqualTo(Map.of(U1, 700));
        }
    }

    @Test
    void withTransitionTopTheDivertedMassGoesExactlyToTheStrongestNextItems() throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.transitionTop = 1;
        try (var h = StepHarness.open(new ItemStep(cfg))) {
            h.processElement1(userEdge(U1, Action.VIEW, T), T);
            h.processElement1(transition(NEXT_B, 1f), T);
            h.processElement1(transition(NEXT_C, 0.5f), T);
            h.processElement1(transition(NEXT_C, 1f), T); // c: 1.5 in all, the strongest
            Hop in = Hop.walk(REQUEST, ITEM, 1000, ITEM, 0, T);
            in.transitionShare = 0.3f;
            h.processElement2(in, T);

            List<Hop> diverted = side(h, Routes.HOPS_TO_SCORE);
            assertThat(diverted).extracting(x -> x.node).containsExactly(NEXT_C);
            // c's share of the whole row (1.5 of 2.5): b's share is left out, not moved to c.
            assertThat((double) diverted.get(0).weight).isCloseTo(300 * 1.5 / 2.5, within(1e-3));
            assertThat(walkers(diverted)).isEqualTo(300 * Hop.TOKENS_PER_WALKER);
            assertThat(byNode(h.extractOutputValues())).isEqualTo(Map.of(U1, 700));
        }
    }

    @Test
    void theTransitionsHopSkipsTheRequestsExclusionsAndLeavesTheirSlotToTheNextStrongest()
            throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.transitionTop = 1;
        try (var h = StepHarness.open(new ItemStep(cfg))) {
            h.processElement1(userEdge(U1, Action.VIEW, T), T);
            h.processElement1(transition(NEXT_B, 1f), T);
            h.processElement1(transition(NEXT_C, 1.5f), T); // the strongest, but excluded
            Hop in = Hop.walk(REQUEST, ITEM, 1000, ITEM, 0, T);
            in.transitionShare = 0.3f;
            in.exclude = sorted(NEXT_C, U1);
            h.processElement2(in, T);

            List<Hop> diverted = side(h, Routes.HOPS_TO_SCORE);
            assertThat(diverted).extracting(x -> x.node).containsExactly(NEXT_B);
            // b's share of the whole row (1 of 2.5): c's part is left out, not moved to b.
            assertThat((double) diverted.get(0).weight).isCloseTo(300 * 1 / 2.5, within(1e-3));
            assertThat(walkers(diverted)).isEqualTo(300 * Hop.TOKENS_PER_WALKER);
            assertThat(diverted).allMatch(x -> x.exclude == null, "not carried further");
            assertThat(byNode(h.extractOutputValues())).isEqualTo(Map.of(U1, 700));
        }
    }

    @Test
    void walkersWhoseEveryNextItemIsExcludedAllTakeTheCoEngagementHop() throws Exception {
        try (var h = StepHarness.open(new ItemStep(new JobConfig()))) {
            h.processElement1(userEdge(U1, Action.VIEW, T), T);
            h.processElement1(transition(NEXT_B, 1f), T);
            h.processElement1(transition(NEXT_C, 0.5f), T);
            Hop in = Hop.walk(REQUEST, ITEM, 1000, ITEM, 0, T);
            in.transitionShare = 1f;
            in.exclude = sorted(NEXT_B, NEXT_C);
            h.processElement2(in, T);

            assertThat(side(h, Routes.HOPS_TO_SCORE)).isEmpty();
            assertThat(byNode(h.extractOutputValues())).isEqualTo(Map.of(U1, 1000));
        }
    }

    private static long[] sorted(long... keys) {
        long[] k = keys.clone();
        Arrays.sort(k);
        return k;
    }

    @Test
    void aNodeWithoutEdgesAbsorbsItsWalkersAndTellsRank() throws Exception {
        try (var h = StepHarness.open(new ItemStep(new JobConfig()))) {
            h.processElement2(Hop.walk(REQUEST, ITEM, 37, ITEM, 0, T), T);

            assertThat(h.extractOutputValues()).isEmpty();
            List<RankInput> toRank = side(h, Routes.TO_RANK);
            assertThat(toRank).hasSize(1);
            assertThat(toRank.get(0).kind).isEqualTo(RankInput.ABSORBED);
            assertThat(toRank.get(0).request).isEqualTo(REQUEST);
            assertThat(toRank.get(0).walkers).isEqualTo(37);
        }
    }

    @Test
    void anEdgeStampedAfterTheWalkersTimeIsInvisibleToThem() throws Exception {
        try (var h = StepHarness.open(new ItemStep(new JobConfig()))) {
            h.processElement1(userEdge(U1, Action.PURCHASE, T + 1), T + 1);
            h.processElement2(Hop.walk(REQUEST, ITEM, 10, ITEM, 0, T), T);

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(side(h, Routes.TO_RANK)).extracting(r -> r.walkers).containsExactly(10);
        }
    }

    @Test
    void theItemKeepsOnlyItsMostRecentUsersUpToCapacityTheOldestIsEvicted() throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.graph.itemCapacity = 16; // one chunk
        try (var h = StepHarness.open(new ItemStep(cfg))) {
            long[] users = LongStream.range(0, 17).map(i -> NodeIds.hash("u:" + i)).toArray();
            for (int i = 0; i < users.length; i++) {
                h.processElement1(userEdge(users[i], Action.VIEW, T + i), T + i);
            }
            h.processElement2(Hop.walk(REQUEST, ITEM, 1600, ITEM, 0, T + 100), T + 100);

            Map<Long, Integer> reached = byNode(h.extractOutputValues());
            assertThat(reached.keySet())
                    .as("users 1..16, not user 0")
                    .containsExactlyInAnyOrderElementsOf(
                            LongStream.of(users).skip(1).boxed().toList());
            assertThat(reached.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1600);
        }
    }

    @Test
    void reSentMetadataForwardsOnlyTheAttributesItDidNotHave() throws Exception {
        long cat = NodeIds.hash(NodeIds.category("shoes"));
        long brand = NodeIds.hash(NodeIds.brand("acme"));
        long tag = NodeIds.hash(NodeIds.tag("red"));
        try (var h = StepHarness.open(new ItemStep(new JobConfig()))) {
            h.processElement1(attributes(T, cat, brand), T);
            h.processElement1(attributes(T + 1, cat, brand), T + 1);
            h.processElement1(attributes(T + 2, cat, tag), T + 2);

            List<GraphUpdate> toScore = side(h, Routes.TO_SCORE);
            assertThat(toScore)
                    .allMatch(
                            u ->
                                    u.node == ITEM
                                            && u.action == Action.ATTRIBUTE.code()
                                            && "i:1".equals(u.id));
            assertThat(toScore).extracting(u -> u.nbr).containsExactly(cat, brand, tag);
            assertThat(side(h, Routes.TO_CONTEXT))
                    .filteredOn(u -> u.node == cat || u.node == brand || u.node == tag)
                    .extracting(u -> u.node)
                    .containsExactly(cat, brand, tag);
        }
    }

    @Test
    void anUpdateStampedAfterTheWatermarkWaitsUntilTheWatermarkPassesIt() throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.alignment = WalkConfig.Alignment.WATERMARK;
        long cat = NodeIds.hash(NodeIds.category("shoes"));
        try (var h = StepHarness.open(new ItemStep(cfg))) {
            watermark(h, T);
            h.processElement1(attributes(T + 5, cat), T + 5);
            watermark(h, T + 4);
            assertThat(side(h, Routes.TO_SCORE)).as("held at watermark T + 4").isEmpty();

            watermark(h, T + 5);
            assertThat(side(h, Routes.TO_SCORE)).extracting(u -> u.nbr).containsExactly(cat);
        }
    }

    @Test
    void anUpdateBehindTheWatermarkIsAppliedAtOnce() throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.alignment = WalkConfig.Alignment.WATERMARK;
        long cat = NodeIds.hash(NodeIds.category("shoes"));
        try (var h = StepHarness.open(new ItemStep(cfg))) {
            watermark(h, T + 5);
            h.processElement1(
                    attributes(T + 3, cat), T + 3); // later than walk.outOfOrdernessMs allowed

            assertThat(side(h, Routes.TO_SCORE)).extracting(u -> u.nbr).containsExactly(cat);
        }
    }

    @ParameterizedTest
    @MethodSource("io.walkstream.walk.StepHarness#backends")
    void underWatermarkAlignmentWalkersWaitForTheEventsUpToTheirTime(StateBackend backend)
            throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.alignment = WalkConfig.Alignment.WATERMARK;
        try (var h = StepHarness.open(new ItemStep(cfg), backend)) {
            h.processElement2(Hop.walk(REQUEST, ITEM, 10, ITEM, 0, T + 10), T + 10);
            h.processElement1(
                    userEdge(U1, Action.VIEW, T + 5),
                    T + 5); // arrives after the walkers, stamped before
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(side(h, Routes.TO_RANK)).isEmpty();

            watermark(h, T + 9);
            assertThat(h.extractOutputValues())
                    .as("held until the watermark reaches T + 10")
                    .isEmpty();
            watermark(h, T + 10);
            assertThat(byNode(h.extractOutputValues())).isEqualTo(Map.of(U1, 10));
            assertThat(side(h, Routes.TO_RANK)).isEmpty();
        }
    }

    @Test
    void withoutAlignmentWalkersMoveOnArrivalOverTheEdgesAlreadyThere() throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.alignment = WalkConfig.Alignment.NONE;
        try (var h = StepHarness.open(new ItemStep(cfg))) {
            h.processElement2(Hop.walk(REQUEST, ITEM, 10, ITEM, 0, T + 10), T + 10);
            h.processElement1(userEdge(U1, Action.VIEW, T + 5), T + 5);

            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(side(h, Routes.TO_RANK))
                    .extracting(r -> r.walkers)
                    .as("absorbed: no edge yet")
                    .containsExactly(10);
        }
    }

    static GraphUpdate userEdge(long user, Action action, long ts) {
        return GraphUpdate.edge(ITEM, GraphUpdate.ITEM_NODE, user, action, ts, 1f);
    }

    static GraphUpdate transition(long next, float weight) {
        GraphUpdate t = GraphUpdate.of(GraphUpdate.TRANSITION, ITEM, next, T);
        t.nodeKind = GraphUpdate.ITEM_NODE;
        t.action = Action.VIEW.code();
        t.weight = weight;
        return t;
    }

    /** The item's attribute set (the first one is its category). */
    static GraphUpdate attributes(long ts, long... attrs) {
        GraphUpdate u = GraphUpdate.of(GraphUpdate.ATTRIBUTES, ITEM, attrs[0], ts);
        u.nodeKind = GraphUpdate.ITEM_NODE;
        u.attrs = attrs;
        u.id = "i:1";
        return u;
    }

    static Map<Long, Integer> byNode(List<Hop> hops) {
        return hops.stream().collect(Collectors.toMap(x -> x.node, x -> x.walkers, Integer::sum));
    }
}
