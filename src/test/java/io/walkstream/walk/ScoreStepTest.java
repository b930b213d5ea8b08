package io.walkstream.walk;

import static io.walkstream.walk.StepHarness.watermark;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.walkstream.config.JobConfig;
import io.walkstream.config.WalkConfig;
import io.walkstream.model.Action;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import java.util.List;
import org.apache.flink.runtime.state.StateBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Score step (keyed by item), one behaviour per test: every arrival and probe becomes one
 * message to Rank carrying the item's facts — id, degree, vector, metadata — as of the arrival.
 */
class ScoreStepTest {
    static final long T = 1_700_000_000_000L;
    static final long ITEM = NodeIds.hash("i:1");
    static final long USER = NodeIds.hash("u:1");
    static final long SEED = NodeIds.hash("i:seed");
    static final long REQUEST = NodeIds.hash("r1");

    @ParameterizedTest
    @MethodSource("io.walkstream.walk.StepHarness#backends")
    void scoreReportsAnArrivalWithTheItemsDegreeAndVector(StateBackend backend) throws Exception {
        try (var h = StepHarness.open(new ScoreStep(new JobConfig()), backend)) {
            for (int u = 1; u <= 3; u++) {
                h.processElement1(userEdge(NodeIds.hash("u:" + u), Action.VIEW, T + u), T + u);
            }
            h.processElement1(
                    attributeEdge(NodeIds.hash(NodeIds.category("shoes")), T), T); // not a degree
            Hop arrival = Hop.walk(REQUEST, ITEM, 64, SEED, USER, T + 10);
            arrival.weight = 0.75f;
            h.processElement2(arrival, T + 10);

            List<RankInput> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            RankInput r = out.get(0);
            assertThat(r.kind).isEqualTo(RankInput.ARRIVAL);
            assertThat(r.request).isEqualTo(REQUEST);
            assertThat(r.item).isEqualTo(ITEM);
            assertThat(r.itemId).isEqualTo("i:1");
            assertThat(r.degree).isEqualTo(3);
            assertThat(r.vector)
                    .hasSize(new JobConfig().embedding.dim)
                    .containsAnyOf((byte) 127, (byte) -127);
            assertThat(r.supplied).isFalse();
            assertThat(r.firstSeen).isEqualTo(T);
            assertThat(r.walkers).isEqualTo(64);
            assertThat(r.origin).isEqualTo(SEED);
            assertThat(r.via).isEqualTo(USER);
            assertThat(r.weight).isEqualTo(0.75f);
        }
    }

    @Test
    void eachKindOfMessageIsAnsweredAsItsOwnKindOfRankInput() throws Exception {
        try (var h = StepHarness.open(new ScoreStep(new JobConfig()))) {
            h.processElement1(userEdge(USER, Action.VIEW, T), T);
            h.processElement2(Hop.walk(REQUEST, ITEM, 1, SEED, USER, T), T);
            h.processElement2(Hop.seedProbe(REQUEST, ITEM, 2.5f, T), T);
            h.processElement2(Hop.candidateProbe(REQUEST, ITEM, T), T);
            h.processElement2(Hop.of(Hop.TREND, REQUEST, ITEM, 1, SEED, USER, T), T);
            h.processElement2(Hop.of(Hop.NEIGHBOUR, REQUEST, ITEM, 1, SEED, USER, T), T);

            List<RankInput> out = h.extractOutputValues();
            assertThat(out)
                    .extracting(r -> r.kind)
                    .containsExactly(
                            RankInput.ARRIVAL,
                            RankInput.SEED_INFO,
                            RankInput.CANDIDATE_INFO,
                            RankInput.TREND_ARRIVAL,
                            RankInput.NEIGHBOUR_ARRIVAL);
            assertThat(out).allMatch(r -> r.item == ITEM && r.degree == 1 && r.request == REQUEST);
            assertThat(out.get(1).weight)
                    .as("the seed's weight in the user vector")
                    .isEqualTo(2.5f);
        }
    }

    @Test
    void anUnknownItemIsReportedWithDefaultFacts() throws Exception {
        try (var h = StepHarness.open(new ScoreStep(new JobConfig()))) {
            h.processElement2(Hop.candidateProbe(REQUEST, ITEM, T), T);

            List<RankInput> out = h.extractOutputValues();
            assertThat(out).hasSize(1);
            RankInput r = out.get(0);
            assertThat(r.kind).isEqualTo(RankInput.CANDIDATE_INFO);
            assertThat(r.itemId).isNull();
            assertThat(r.degree).isZero();
            assertThat(r.vector).isNull();
            assertThat(r.category).isNull();
            assertThat(r.firstSeen).isEqualTo(Long.MAX_VALUE);
        }
    }

    @Test
    void metadataAndASuppliedVectorAreReportedWithTheModelThatMadeIt() throws Exception {
        try (var h = StepHarness.open(new ScoreStep(new JobConfig()))) {
            GraphUpdate meta = GraphUpdate.of(GraphUpdate.ITEM_META, ITEM, 0, T);
            meta.category = "shoes";
            meta.brand = "acme";
            h.processElement1(meta, T);
            GraphUpdate embedding = GraphUpdate.of(GraphUpdate.EMBEDDING, ITEM, 0, T + 1);
            embedding.vector = new float[] {0.5f, -1f, 0f, 0.25f};
            embedding.model = "m-7";
            h.processElement1(embedding, T + 1);
            h.processElement2(Hop.walk(REQUEST, ITEM, 1, SEED, USER, T + 2), T + 2);

            RankInput r = h.extractOutputValues().get(0);
            assertThat(r.category).isEqualTo("shoes");
            assertThat(r.brand).isEqualTo("acme");
            assertThat(r.supplied).isTrue();
            assertThat(r.model).isEqualTo("m-7");
            assertThat(r.vector).containsExactly(64, -127, 0, 32);
            assertThat(r.degree).isZero();
        }
    }

    @Test
    void aGraphUpdateBetweenTwoArrivalsIsSeenByTheSecond() throws Exception {
        try (var h = StepHarness.open(new ScoreStep(new JobConfig()))) {
            h.processElement1(userEdge(USER, Action.VIEW, T), T);
            h.processElement2(Hop.walk(REQUEST, ITEM, 1, SEED, USER, T + 5), T + 5);
            h.processElement1(userEdge(NodeIds.hash("u:2"), Action.VIEW, T + 1), T + 1);
            h.processElement2(Hop.walk(REQUEST, ITEM, 1, SEED, USER, T + 5), T + 5);

            assertThat(h.extractOutputValues()).extracting(r -> r.degree).containsExactly(1L, 2L);
        }
    }

    @Test
    void underWatermarkAlignmentAnArrivalSeesTheFactsUpToItsTimeEvenWhenTheyArriveLater()
            throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.alignment = WalkConfig.Alignment.WATERMARK;
        try (var h = StepHarness.open(new ScoreStep(cfg))) {
            h.processElement2(Hop.walk(REQUEST, ITEM, 1, SEED, USER, T + 10), T + 10);
            h.processElement1(userEdge(USER, Action.VIEW, T + 5), T + 5);
            h.processElement1(
                    userEdge(NodeIds.hash("u:2"), Action.VIEW, T + 11),
                    T + 11); // after the arrival
            watermark(h, T + 9);
            assertThat(h.extractOutputValues()).isEmpty();

            watermark(h, T + 10);
            assertThat(h.extractOutputValues()).extracting(r -> r.degree).containsExactly(1L);
        }
    }

    @Test
    void withoutAlignmentAnArrivalIsAnsweredAtOnceWithTheFactsAppliedSoFar() throws Exception {
        try (var h = StepHarness.open(new ScoreStep(new JobConfig()))) {
            h.processElement2(Hop.walk(REQUEST, ITEM, 1, SEED, USER, T + 10), T + 10);
            h.processElement1(userEdge(USER, Action.VIEW, T + 5), T + 5);

            assertThat(h.extractOutputValues()).extracting(r -> r.degree).containsExactly(0L);
        }
    }

    @ParameterizedTest
    @MethodSource("io.walkstream.walk.StepHarness#backends")
    void theFactsOfAnItemNotUpdatedWithinTheStateTtlAreForgotten(StateBackend backend)
            throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.graph.stateTtlMs = 1_000;
        long other = NodeIds.hash("i:2");
        try (var h = StepHarness.open(new ScoreStep(cfg), backend)) {
            StepHarness.clock(h, 0);
            h.processElement1(userEdge(USER, Action.VIEW, T), T);
            StepHarness.clock(h, 500);
            h.processElement2(Hop.walk(REQUEST, ITEM, 1, SEED, USER, T), T);
            StepHarness.clock(h, 1_500);
            h.processElement2(Hop.walk(REQUEST, other, 1, SEED, USER, T), T);
            h.processElement2(Hop.walk(REQUEST, ITEM, 1, SEED, USER, T), T);

            assertThat(h.extractOutputValues())
                    .extracting(r -> r.item, r -> r.degree)
                    .containsExactly(tuple(ITEM, 1L), tuple(other, 0L), tuple(ITEM, 0L));
        }
    }

    @ParameterizedTest
    @MethodSource("io.walkstream.walk.StepHarness#backends")
    void expiredFactsAreForgottenEvenWhenTheSameItemIsScoredTwiceInARow(StateBackend backend)
            throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.graph.stateTtlMs = 1_000;
        try (var h = StepHarness.open(new ScoreStep(cfg), backend)) {
            StepHarness.clock(h, 0);
            h.processElement1(userEdge(USER, Action.VIEW, T), T);
            StepHarness.clock(h, 500);
            h.processElement2(Hop.walk(REQUEST, ITEM, 1, SEED, USER, T), T);
            StepHarness.clock(h, 1_500);
            h.processElement2(Hop.walk(NodeIds.hash("r2"), ITEM, 1, SEED, USER, T), T);

            assertThat(h.extractOutputValues()).extracting(r -> r.degree).containsExactly(1L, 0L);
        }
    }

    static GraphUpdate userEdge(long user, Action action, long ts) {
        GraphUpdate u = GraphUpdate.edge(ITEM, GraphUpdate.ITEM_NODE, user, action, ts, 1f);
        u.id = "i:1";
        return u;
    }

    static GraphUpdate attributeEdge(long attribute, long ts) {
        GraphUpdate u =
                GraphUpdate.edge(ITEM, GraphUpdate.ITEM_NODE, attribute, Action.ATTRIBUTE, ts, 1f);
        u.id = "i:1";
        return u;
    }
}
