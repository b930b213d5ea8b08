package io.walkstream.walk;

import static io.walkstream.walk.StepHarness.side;
import static io.walkstream.walk.StepHarness.walkers;
import static io.walkstream.walk.StepHarness.watermark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import io.walkstream.config.JobConfig;
import io.walkstream.config.WalkConfig;
import io.walkstream.model.Action;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.flink.runtime.state.StateBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Context step (keyed by user or attribute), one behaviour per test: the walk's last hop sends
 * expected mass to the context's items, with accounting tokens Rank can count; whole walkers when
 * the spread is off; dead ends absorb.
 */
class ContextStepTest {
    static final long T = 1_700_000_000_000L;
    static final long USER = NodeIds.hash("u:1");
    static final long SEED = NodeIds.hash("i:seed");
    static final long A = NodeIds.hash("i:a");
    static final long B = NodeIds.hash("i:b");
    static final long REQUEST = NodeIds.hash("r1");

    @Test
    void theLastHopSendsEachItemItsExpectedMassTaggedWithThisContext() throws Exception {
        try (var h = StepHarness.open(new ContextStep(new JobConfig()))) {
            h.processElement1(itemEdge(A, Action.PURCHASE, T), T); // weight 8
            h.processElement1(itemEdge(B, Action.VIEW, T), T); // weight 1
            h.processElement2(Hop.walk(REQUEST, USER, 9, SEED, 0, T), T);

            List<Hop> out = h.extractOutputValues();
            Map<Long, Float> mass =
                    out.stream().collect(Collectors.toMap(x -> x.node, x -> x.weight));
            assertThat(mass).containsOnlyKeys(A, B);
            assertThat(mass.get(A)).isCloseTo(8f, within(1e-5f));
            assertThat(mass.get(B)).isCloseTo(1f, within(1e-5f));
            assertThat(out)
                    .allMatch(
                            x ->
                                    x.kind == Hop.WALK
                                            && x.request == REQUEST
                                            && x.origin == SEED
                                            && x.via == USER);
        }
    }

    @Test
    void everyWalkerIsAccountedForWithSixtyFourTokensAndItsWholeMass() throws Exception {
        try (var h = StepHarness.open(new ContextStep(new JobConfig()))) {
            for (int i = 0; i < 5; i++) {
                h.processElement1(itemEdge(NodeIds.hash("i:" + i), Action.VIEW, T - i), T - i);
            }
            h.processElement2(Hop.walk(REQUEST, USER, 3, SEED, 0, T), T);

            List<Hop> out = h.extractOutputValues();
            assertThat(out).hasSize(5).allMatch(x -> x.walkers >= 1);
            assertThat(walkers(out)).isEqualTo(3 * Hop.TOKENS_PER_WALKER);
            assertThat(out.stream().mapToDouble(x -> x.weight).sum()).isCloseTo(3.0, within(1e-5));
        }
    }

    @Test
    void whenItemsOutnumberFanoutTimesWalkersTheMassGoesToAtMostThatManyItems() throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.lastHopFanout = 4;
        try (var h = StepHarness.open(new ContextStep(cfg))) {
            for (int i = 0; i < 30; i++) {
                h.processElement1(itemEdge(NodeIds.hash("i:" + i), Action.VIEW, T), T);
            }
            h.processElement2(Hop.walk(REQUEST, USER, 2, SEED, 0, T), T);

            List<Hop> out = h.extractOutputValues();
            assertThat(walkers(out)).isEqualTo(2 * Hop.TOKENS_PER_WALKER);
            // 8 points of 1/4 walker each, placed by systematic sampling over equal weights: one
            // per item
            assertThat(out).allMatch(x -> x.weight == 0.25f);
            assertThat(out).hasSize(8);
        }
    }

    @Test
    void withTheSpreadOffWholeWalkersMoveOneItemEach() throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.lastHopFanout = 0;
        try (var h = StepHarness.open(new ContextStep(cfg))) {
            h.processElement1(itemEdge(A, Action.PURCHASE, T), T);
            h.processElement1(itemEdge(B, Action.VIEW, T), T);
            h.processElement2(Hop.walk(REQUEST, USER, 900, SEED, 0, T), T);

            List<Hop> out = h.extractOutputValues();
            assertThat(out.stream().collect(Collectors.toMap(x -> x.node, x -> x.walkers)))
                    .isEqualTo(Map.of(A, 800, B, 100));
            assertThat(out).allMatch(x -> x.weight == 0f && x.via == USER);
        }
    }

    @Test
    void aContextWithoutItemsAbsorbsItsWalkersAndTellsRank() throws Exception {
        try (var h = StepHarness.open(new ContextStep(new JobConfig()))) {
            h.processElement2(Hop.walk(REQUEST, USER, 7, SEED, 0, T), T);

            assertThat(h.extractOutputValues()).isEmpty();
            List<RankInput> toRank = side(h, Routes.TO_RANK);
            assertThat(toRank).hasSize(1);
            assertThat(toRank.get(0).kind).isEqualTo(RankInput.ABSORBED);
            assertThat(toRank.get(0).request).isEqualTo(REQUEST);
            assertThat(toRank.get(0).walkers).isEqualTo(7);
        }
    }

    @Test
    void theOldestEdgeIsEvictedWhenTheUsersRingIsFull() throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.graph.userCapacity = 16; // one chunk
        try (var h = StepHarness.open(new ContextStep(cfg))) {
            long[] items = LongStream.range(0, 17).map(i -> NodeIds.hash("i:" + i)).toArray();
            for (int i = 0; i < items.length; i++) {
                h.processElement1(itemEdge(items[i], Action.VIEW, T + i), T + i);
            }
            h.processElement2(
                    Hop.walk(REQUEST, USER, 2, SEED, 0, T + 100),
                    T + 100); // 16 points: every held item

            assertThat(h.extractOutputValues())
                    .extracting(x -> x.node)
                    .as("items 1..16, not item 0")
                    .containsExactlyInAnyOrderElementsOf(
                            LongStream.of(items).skip(1).boxed().toList());
        }
    }

    @ParameterizedTest
    @MethodSource("io.walkstream.walk.StepHarness#backends")
    void theSameRequestGivesTheSameHopsTwiceAnotherRequestDrawsItsOwn(StateBackend backend)
            throws Exception {
        try (var h = StepHarness.open(new ContextStep(new JobConfig()), backend)) {
            for (int i = 0; i < 40; i++) {
                h.processElement1(
                        itemEdge(
                                NodeIds.hash("i:" + i),
                                i % 3 == 0 ? Action.CART : Action.VIEW,
                                T - i * 1000L),
                        T);
            }
            h.processElement2(Hop.walk(REQUEST, USER, 2, SEED, 0, T), T);
            List<String> first = describe(h.extractOutputValues());
            h.getOutput().clear();
            h.processElement2(Hop.walk(REQUEST, USER, 2, SEED, 0, T), T);
            List<String> second = describe(h.extractOutputValues());
            h.getOutput().clear();
            h.processElement2(Hop.walk(NodeIds.hash("r2"), USER, 2, SEED, 0, T), T);
            List<String> other = describe(h.extractOutputValues());

            assertThat(first).hasSize(16);
            assertThat(second).isEqualTo(first);
            assertThat(other).isNotEqualTo(first);
        }
    }

    @Test
    void underWatermarkAlignmentWalkersWaitForTheWatermarkToPassTheirTime() throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.alignment = WalkConfig.Alignment.WATERMARK;
        try (var h = StepHarness.open(new ContextStep(cfg))) {
            h.processElement2(Hop.walk(REQUEST, USER, 1, SEED, 0, T + 10), T + 10);
            h.processElement1(
                    itemEdge(A, Action.VIEW, T + 10),
                    T + 10); // the same instant: visible to the walkers
            watermark(h, T + 9);
            assertThat(h.extractOutputValues()).isEmpty();

            watermark(h, T + 10);
            assertThat(h.extractOutputValues()).extracting(x -> x.node).containsExactly(A);
            assertThat(side(h, Routes.TO_RANK)).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("io.walkstream.walk.StepHarness#backends")
    void aContextNotWrittenWithinTheStateTtlIsForgottenAndAbsorbsItsWalkers(StateBackend backend)
            throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.graph.stateTtlMs = 1_000;
        try (var h = StepHarness.open(new ContextStep(cfg), backend)) {
            StepHarness.clock(h, 0);
            h.processElement1(itemEdge(A, Action.VIEW, T), T);
            StepHarness.clock(h, 500);
            h.processElement2(Hop.walk(REQUEST, USER, 1, SEED, 0, T + 1), T + 1);
            StepHarness.clock(h, 1_500);
            h.processElement2(Hop.walk(NodeIds.hash("r2"), USER, 1, SEED, 0, T + 2), T + 2);

            assertThat(h.extractOutputValues()).extracting(x -> x.node).containsExactly(A);
            assertThat(side(h, Routes.TO_RANK))
                    .extracting(r -> r.request, r -> r.walkers)
                    .containsExactly(tuple(NodeIds.hash("r2"), 1));
        }
    }

    @ParameterizedTest
    @MethodSource("io.walkstream.walk.StepHarness#backends")
    void expiredEdgesAreForgottenEvenForWalkersOfTheSameRequestTime(StateBackend backend)
            throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.graph.stateTtlMs = 1_000;
        try (var h = StepHarness.open(new ContextStep(cfg), backend)) {
            StepHarness.clock(h, 0);
            h.processElement1(itemEdge(A, Action.VIEW, T), T);
            StepHarness.clock(h, 500);
            h.processElement2(Hop.walk(REQUEST, USER, 1, SEED, 0, T + 1), T + 1);
            StepHarness.clock(h, 1_500);
            h.processElement2(Hop.walk(NodeIds.hash("r2"), USER, 1, SEED, 0, T + 1), T + 1);

            assertThat(h.extractOutputValues()).extracting(x -> x.node).containsExactly(A);
        }
    }

    static GraphUpdate itemEdge(long item, Action action, long ts) {
        return GraphUpdate.edge(USER, GraphUpdate.USER, item, action, ts, 1f);
    }

    /** Where the hops go, how many tokens and how much mass they carry, in order. */
    static List<String> describe(List<Hop> hops) {
        return hops.stream().map(x -> x.node + ":" + x.walkers + ":" + x.weight).toList();
    }
}
