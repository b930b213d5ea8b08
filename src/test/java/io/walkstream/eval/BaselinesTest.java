package io.walkstream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Users: A={x,y}, B={x,y,z}, C={z,w}, D={x}. Item degrees: x 3, y 2, z 2, w 1. */
class BaselinesTest {
    private static final TrainingData DATA =
            new TrainingData(
                    List.of(
                            ev("A", "x"),
                            ev("A", "y"),
                            ev("B", "x"),
                            ev("B", "y"),
                            ev("B", "z"),
                            ev("C", "z"),
                            ev("C", "w"),
                            ev("D", "x")));

    private static Event ev(String u, String i) {
        return Event.interaction(u, i, Action.RATE, 1, 1f);
    }

    private static TestCase full(String user) {
        return new TestCase(user, 0, Set.of("?"), null);
    }

    @Test
    void mostPopularRanksByDistinctUsersAndExcludesHistory() {
        List<String> forD = new MostPopular(DATA).recommend(full("D"), 10);
        assertThat(forD).hasSize(3).endsWith("w");
        assertThat(forD.subList(0, 2))
                .containsExactlyInAnyOrder("y", "z"); // a tie, broken by a hash
        assertThat(new MostPopular(DATA).recommend(full("A"), 1)).containsExactly("z");
    }

    @Test
    void itemKnnScoresAreSumsOfCosines() {
        ItemKnn knn = new ItemKnn(DATA);
        // D has {x}. cos(x,y) = 2/sqrt(3*2) = 0.8165; cos(x,z) = 1/sqrt(3*2) = 0.4082; cos(x,w) = 0
        double[] s = knn.scores(DATA.history("D"));
        assertThat(s[DATA.indexOf("y")]).isCloseTo(2 / Math.sqrt(6), within(1e-12));
        assertThat(s[DATA.indexOf("z")]).isCloseTo(1 / Math.sqrt(6), within(1e-12));
        assertThat(s[DATA.indexOf("w")]).isEqualTo(0.0);
        assertThat(knn.recommend(full("D"), 2)).containsExactly("y", "z");
    }

    @Test
    void exactRp3BetaIsTheThreeStepWalkProbabilityOverDegreeToTheBeta() {
        // From D (history {x}, |D|=1): x -> users A,B,D each 1/3;
        // A -> x,y each 1/2; B -> x,y,z each 1/3; D -> x.
        // P(y) = 1/3*1/2 + 1/3*1/3 = 5/18; P(z) = 1/3*1/3 = 1/9; P(w) = 0.
        ExactRp3Beta rp3 = new ExactRp3Beta(DATA, 1.0, 0.5);
        double[] s = rp3.scores(DATA.history("D"));
        assertThat(s[DATA.indexOf("y")]).isCloseTo(5.0 / 18 / Math.sqrt(2), within(1e-12));
        assertThat(s[DATA.indexOf("z")]).isCloseTo(1.0 / 9 / Math.sqrt(2), within(1e-12));
        assertThat(s[DATA.indexOf("w")]).isEqualTo(0.0);
        // x itself: 1/3*1/2 + 1/3*1/3 + 1/3*1 = 11/18, over sqrt(3)
        assertThat(s[DATA.indexOf("x")]).isCloseTo(11.0 / 18 / Math.sqrt(3), within(1e-12));
        // alpha = 2 squares every transition probability
        double[] s2 = new ExactRp3Beta(DATA, 2.0, 0.0).scores(DATA.history("D"));
        assertThat(s2[DATA.indexOf("y")])
                .isCloseTo(1.0 / 9 * 1 / 4 + 1.0 / 9 * 1 / 9, within(1e-12));
    }

    @Test
    void recencyWeightedExactRp3BetaWeighsTheLastItemsMost() {
        // B's history in training order: x, y, z. Uniform: 1/3 each. Half-life 1: z 1, y 1/2, x
        // 1/4, normalised by 7/4 -> z 4/7, y 2/7, x 1/7. w is reached only via z -> C (1/2) -> w
        // (1/2).
        double[] uniform = new ExactRp3Beta(DATA, 1.0, 0.0).scores(DATA.history("B"));
        double[] recent = new ExactRp3Beta(DATA, 1.0, 0.0, 1.0).scores(DATA.history("B"));
        assertThat(uniform[DATA.indexOf("w")]).isCloseTo(1.0 / 3 / 4, within(1e-12));
        assertThat(recent[DATA.indexOf("w")]).isCloseTo(4.0 / 7 / 4, within(1e-12));
        // Half-life 0 is the classic RP3β.
        assertThat(new ExactRp3Beta(DATA, 1.0, 0.3, 0).scores(DATA.history("B")))
                .containsExactly(
                        new ExactRp3Beta(DATA, 1.0, 0.3).scores(DATA.history("B")), within(0.0));
        assertThat(new ExactRp3Beta(DATA, 1.0, 0.3, 2).name()).contains("recent seeds h=2.0");
    }

    @Test
    void sampledRankingOrdersEveryCandidateAndPutsUnknownItemsLast() {
        TestCase t = new TestCase("D", 0, Set.of("z"), List.of("z", "unknown", "w", "y"));
        assertThat(new ExactRp3Beta(DATA, 1.0, 0.5).recommend(t, 10))
                .containsExactly("y", "z", "w", "unknown");
    }
}
