package io.walkstream.rank;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.config.RankConfig;
import io.walkstream.model.Hop;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import io.walkstream.model.Recommendation;
import io.walkstream.model.RequestContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class RankerTest {
    static RequestContext ctx(int k, int walkers, String... exclude) {
        RequestContext c = new RequestContext();
        c.requestId = "r";
        c.user = "u";
        c.k = k;
        c.walkers = walkers;
        c.exclude = Arrays.stream(exclude).mapToLong(NodeIds::hash).sorted().toArray();
        return c;
    }

    static RankInput arrival(String item, int walkers, long degree, String seed, String via) {
        RankInput in = new RankInput();
        in.kind = RankInput.ARRIVAL;
        in.item = NodeIds.hash(item);
        in.itemId = item;
        in.walkers = walkers;
        in.degree = degree;
        in.origin = NodeIds.hash(seed);
        in.via = NodeIds.hash(via);
        return in;
    }

    static RankInput seed(String item, float weight, byte[] vector) {
        RankInput in = new RankInput();
        in.kind = RankInput.SEED_INFO;
        in.item = NodeIds.hash(item);
        in.itemId = item;
        in.weight = weight;
        in.vector = vector;
        return in;
    }

    static RankConfig cfg(double beta, double blend) {
        RankConfig c = new RankConfig();
        c.beta = beta;
        c.similarityBlend = blend;
        return c;
    }

    static RankProgress progress(int arrived, int absorbed) {
        RankProgress p = new RankProgress();
        p.arrived = arrived * Hop.TOKENS_PER_WALKER;
        p.absorbed = absorbed;
        return p;
    }

    static String[] ids(Recommendation r) {
        return Arrays.stream(r.items).map(i -> i.item).toArray(String[]::new);
    }

    @Test
    void rp3BetaPenalisesPopularity() {
        // popular: 40 visits, degree 100 → 40/10 = 4; niche: 10 visits, degree 4 → 10/2 = 5.
        List<RankInput> in =
                List.of(arrival("popular", 40, 100, "s", "c1"), arrival("niche", 10, 4, "s", "c2"));
        assertThat(ids(new Ranker(cfg(0.5, 0)).rank(ctx(5, 50), in, progress(50, 0), false, 0)))
                .containsExactly("niche", "popular");
        assertThat(ids(new Ranker(cfg(0.0, 0)).rank(ctx(5, 50), in, progress(50, 0), false, 0)))
                .containsExactly("popular", "niche");
    }

    @Test
    void transitionBlendScoresTheMassThatCameAlongTransitionsWithoutThePopularityPenalty() {
        // popular: 40 walkers along a transition of seed s (via = s), degree 100 → RP3β 40/10 = 4;
        // niche: 10 walkers through context c2, degree 4 → 10/2 = 5. The walk alone ranks niche
        // first.
        List<RankInput> in =
                List.of(
                        arrival("popular", 40, 100, "s", "s"),
                        arrival("niche", 10, 4, "s", "c2"),
                        seed("s", 1, null));
        RankConfig walkAlone = cfg(0.5, 0);
        walkAlone.transitionBlend = 0;
        assertThat(ids(new Ranker(walkAlone).rank(ctx(5, 50), in, progress(50, 0), false, 0)))
                .containsExactly("niche", "popular");

        RankConfig blended = cfg(0.5, 0.1);
        blended.transitionBlend = 0.4;
        Recommendation r = new Ranker(blended).rank(ctx(5, 50), in, progress(50, 0), false, 0);
        // popular: 0.5 × 4/5 + 0.4 × 1 = 0.8; niche: 0.5 × 1 + 0.4 × 0 = 0.5 (no vectors: no
        // similarity).
        assertThat(ids(r)).containsExactly("popular", "niche");
        assertThat(r.items[0].score).isCloseTo(0.8, Offset.offset(1e-6));
        assertThat(r.items[1].score).isCloseTo(0.5, Offset.offset(1e-6));
        assertThat(r.items[0].reasons).contains("often next after s");
    }

    @Test
    void similarityAndTransitionBlendsTogetherAreAtMostOne() {
        JobConfig job = new JobConfig();
        job.rank.similarityBlend = 0.6;
        job.rank.transitionBlend = 0.5;
        assertThat(job.problems())
                .anyMatch(p -> p.contains("rank.similarityBlend + rank.transitionBlend"));
    }

    @Test
    void excludesTruncatesAndMergesArrivalsOfTheSameItem() {
        List<RankInput> in = new ArrayList<>();
        in.add(arrival("a", 5, 1, "s1", "c1"));
        in.add(arrival("a", 6, 1, "s2", "c2"));
        in.add(arrival("b", 10, 1, "s1", "c1"));
        in.add(arrival("seen", 50, 1, "s1", "c1"));
        in.add(arrival("c", 1, 1, "s1", "c3"));
        in.add(seed("s1", 2, null));
        in.add(seed("s2", 1, null));
        Recommendation r =
                new Ranker(cfg(0, 0)).rank(ctx(2, 72, "seen"), in, progress(72, 0), false, 3);
        assertThat(ids(r)).containsExactly("a", "b");
        assertThat(r.items[0].visits).isEqualTo(11);
        assertThat(r.items[0].contexts).isEqualTo(2);
        assertThat(r.items[0].via).containsExactly("s2", "s1"); // s2 sent 6 walkers, s1 sent 5
        assertThat(r.items[0].reasons)
                .contains(
                        "because you interacted with s2, s1",
                        "reached through 2 contexts (11 walks)");
        assertThat(r.partial).isFalse();
        assertThat(r.latencyMs).isEqualTo(3);
    }

    @Test
    void similarityBlendsIntoTheScoreWithinEachVectorSpace() {
        byte[] east = {127, 0, 0, 0};
        byte[] west = {-127, 0, 0, 0};
        RankInput near = arrival("near", 10, 1, "s", "c");
        near.vector = east;
        RankInput far = arrival("far", 10, 1, "s", "c");
        far.vector = west;
        RankInput other = arrival("other-space", 10, 1, "s", "c");
        other.vector = east;
        other.supplied = true; // no seed has a supplied vector: no similarity for it
        List<RankInput> in = List.of(far, near, other, seed("s", 1, east));
        Recommendation r = new Ranker(cfg(0, 0.5)).rank(ctx(3, 30), in, progress(30, 0), false, 0);
        assertThat(ids(r)).containsExactly("near", "far", "other-space");
        assertThat(r.items[0].similarity).isEqualTo(1.0);
        assertThat(r.items[0].score).isEqualTo(1.0);
        assertThat(r.items[1].similarity).isEqualTo(-1.0);
        assertThat(r.items[1].score).isEqualTo(0.5);
        assertThat(r.items[2].similarity).isZero();
    }

    @Test
    void candidatesWithSuppliedVectorsTakeTheSuppliedBlend() {
        byte[] east = {127, 0, 0, 0};
        RankInput trained = arrival("trained", 5, 1, "s1", "c");
        trained.vector = east;
        trained.supplied = true;
        RankInput builtIn = arrival("built-in", 10, 1, "s1", "c");
        builtIn.vector = east;
        RankInput suppliedSeed = seed("s1", 1, east);
        suppliedSeed.supplied = true;
        List<RankInput> in = List.of(trained, builtIn, suppliedSeed, seed("s2", 1, east));
        RankConfig c = cfg(0, 0.2); // no transitions arrive: the walk keeps 1 − λ
        c.suppliedSimilarityBlend = 0.5;
        Recommendation r = new Ranker(c).rank(ctx(3, 15), in, progress(15, 0), false, 0);
        assertThat(ids(r)).containsExactly("built-in", "trained");
        assertThat(r.items[0].score).as("0.8 × 1 + 0.2 × 1").isCloseTo(1.0, Offset.offset(1e-6));
        assertThat(r.items[1].score)
                .as(
                        "0.5 × 1 + 0.5 × (0.8 × 0.5) / 0.8: the walk keeps its usual proportion of the rest")
                .isCloseTo(0.75, Offset.offset(1e-6));
        c.suppliedSimilarityBlend = 0.2;
        Recommendation same = new Ranker(c).rank(ctx(3, 15), in, progress(15, 0), false, 0);
        assertThat(same.items[1].score)
                .as("0.8 × 0.5 + 0.2 × 1")
                .isCloseTo(0.6, Offset.offset(1e-6));
        // With transitions: λs = 0.85 takes its share, the walk (0.3) and the transitions (0.5)
        // share the remaining 0.15 as 0.3 : 0.5.
        RankInput next = arrival("next", 10, 1, "s1", "s1"); // along a transition of s1
        next.vector = east;
        next.supplied = true;
        RankInput walked = arrival("walked", 10, 1, "s1", "c");
        walked.vector = east;
        walked.supplied = true;
        RankConfig withNext = cfg(0, 0.2);
        withNext.transitionBlend = 0.5;
        withNext.suppliedSimilarityBlend = 0.85;
        Recommendation t =
                new Ranker(withNext)
                        .rank(
                                ctx(3, 20),
                                List.of(next, walked, suppliedSeed),
                                progress(20, 0),
                                false,
                                0);
        assertThat(ids(t)).containsExactly("next", "walked");
        assertThat(t.items[0].score)
                .as("0.85 + 0.15 × (0.3 + 0.5) / 0.8")
                .isCloseTo(1.0, Offset.offset(1e-6));
        assertThat(t.items[1].score)
                .as("0.85 + 0.15 × 0.3 / 0.8")
                .isCloseTo(0.90625, Offset.offset(1e-6));
        JobConfig job = new JobConfig();
        job.rank.suppliedSimilarityBlend = 1.2;
        assertThat(job.problems()).anyMatch(p -> p.contains("rank.suppliedSimilarityBlend"));
        job.rank.suppliedSimilarityBlend = 0.9; // the walk and the transitions share the rest
        assertThat(job.problems()).isEmpty();
    }

    @Test
    void theAnswerNamesTheModelVersionsOfTheSuppliedVectorsItUsed() {
        byte[] east = {127, 0, 0, 0};
        RankInput a = arrival("a", 10, 1, "s", "c");
        a.vector = east;
        a.supplied = true;
        a.model = "sage-2";
        RankInput b = arrival("b", 5, 1, "s", "c");
        b.vector = east; // built-in vector: no model
        RankInput s = seed("s", 1, east);
        s.supplied = true;
        s.model = "sage-1";
        Recommendation r =
                new Ranker(cfg(0, 0.5))
                        .rank(ctx(5, 15), List.of(b, a, s), progress(15, 0), false, 0);
        assertThat(r.embeddingModels).containsExactly("sage-1", "sage-2");
        Recommendation builtIn =
                new Ranker(cfg(0, 0.5))
                        .rank(
                                ctx(5, 15),
                                List.of(b, seed("s", 1, east)),
                                progress(15, 0),
                                false,
                                0);
        assertThat(builtIn.embeddingModels).isNull();
    }

    @Test
    void candidateModeScoresEveryCandidateEvenUnvisitedOrExcluded() {
        RequestContext c = ctx(1, 10, "x");
        c.candidates = new String[] {"x", "never", "y"};
        List<RankInput> in =
                List.of(
                        arrival("y", 6, 1, "s", "c"),
                        arrival("x", 4, 1, "s", "c"),
                        arrival("z", 100, 1, "s", "c"));
        Recommendation r = new Ranker(cfg(0, 0)).rank(c, in, progress(10, 0), false, 0);
        assertThat(ids(r))
                .containsExactly("y", "x", "never"); // z is not a candidate; k does not truncate
        assertThat(r.items[2].visits).isZero();
        assertThat(r.items[2].reasons).isEmpty();
    }

    @Test
    void deadEndsAndDeadlinesFlagTheAnswerPartial() {
        List<RankInput> in = List.of(arrival("a", 5, 1, "s", "c"));
        Recommendation absorbed =
                new Ranker(cfg(0, 0)).rank(ctx(5, 10), in, progress(5, 5), false, 0);
        assertThat(absorbed.partial).isTrue();
        assertThat(absorbed.timedOut).isFalse();
        Recommendation late = new Ranker(cfg(0, 0)).rank(ctx(5, 10), in, progress(5, 0), true, 0);
        assertThat(late.partial).isTrue();
        assertThat(late.timedOut).isTrue();
        assertThat(ids(late)).containsExactly("a");
    }
}
