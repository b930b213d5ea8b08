package io.walkstream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Users u1 = {a, b}, u2 = {b, c}, u3 = {a, b, c}. By hand, with items in the order a, b, c:
 *
 * <pre>
 * G = XᵀX = | 2 2 1 |    G + I = | 3 2 1 |   (det 16)    P = (G + I)⁻¹ = |  1/2 -1/4    0 |
 *           | 2 3 2 |            | 2 4 2 |                               | -1/4  1/2 -1/4 |
 *           | 1 2 2 |            | 1 2 3 |                               |   0  -1/4  1/2 |
 * </pre>
 *
 * B = I − P·diag(1/diag P): B[i][j] = −P[i][j] / P[j][j] off the diagonal, 0 on it: B = [[0, 1/2,
 * 0], [1/2, 0, 1/2], [0, 1/2, 0]].
 */
class EaseTest {
    private static Event ev(String u, String i, long ts) {
        return Event.interaction(u, i, Action.RATE, ts, 1f);
    }

    private static final List<Event> LOG =
            List.of(
                    ev("u1", "a", 1),
                    ev("u1", "b", 2),
                    ev("u2", "b", 1),
                    ev("u2", "c", 2),
                    ev("u3", "a", 1),
                    ev("u3", "b", 2),
                    ev("u3", "c", 3));
    private static final TrainingData DATA = new TrainingData(LOG);
    private static final Sequences SEQS = Sequences.of(LOG, DATA);

    @Test
    void gramAndClosedFormMatchTheHandComputation() {
        assertThat(DATA.indexOf("a")).isEqualTo(0);
        assertThat(DATA.indexOf("b")).isEqualTo(1);
        assertThat(DATA.indexOf("c")).isEqualTo(2);
        assertThat(Ease.gram(DATA, SEQS, 0)).containsExactly(2, 2, 1, 2, 3, 2, 1, 2, 2);
        double[] b = Ease.fit(Ease.gram(DATA, SEQS, 0), 3, 1.0);
        assertThat(b)
                .containsExactly(new double[] {0, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0}, within(1e-12));
    }

    @Test
    void scoresAreTheHistoryRowsOfB() {
        Ease ease = new Ease(DATA, SEQS, 1.0, 0);
        // u1 = {a, b}: B[a] + B[b] = (1/2, 1/2, 1/2); a and b are history, c is left.
        assertThat(ease.scores("u1", DATA.history("u1")))
                .containsExactly(new double[] {0.5, 0.5, 0.5}, within(1e-12));
        assertThat(ease.recommend(new TestCase("u1", 3, Set.of("c"), null), 5))
                .containsExactly("c");
        assertThat(ease.name()).isEqualTo("EASE (λ=1)");
    }

    @Test
    void recencyWeightedRowsWeighTheLastItemsMore() {
        // One user, a then b, h = 1: b (the last) weighs 1, a 1/2.
        List<Event> log = List.of(ev("v", "a", 1), ev("v", "b", 2));
        TrainingData d = new TrainingData(log);
        double[] g = Ease.gram(d, Sequences.of(log, d), 1.0);
        assertThat(g).containsExactly(0.25, 0.5, 0.5, 1.0);
        assertThat(Ease.trace(g, 2)).isEqualTo(1.25);
        assertThat(Ease.rowWeights(3, 2.0)).containsExactly(1.0, Math.pow(2, -0.5), 0.5);
        assertThat(Ease.rowWeights(2, 0)).containsExactly(1.0, 1.0);
        assertThat(new Ease(DATA, SEQS, 10.0, 2.0).name())
                .isEqualTo("EASE, recency-weighted rows (λ=10, h=2)");
        assertThat(Ease.num(0.123456)).isEqualTo("0.123");
    }

    @Test
    void aRecentUserRowWeighsTheLastItemsOfTheHistoryWithTheSameB() {
        // u3 = a, b, c in time order; h = 1: c 1, b 1/2, a 1/4. Scores = Σ x_i B[i]:
        // a: 1/2·1/2 = 1/4; b: 1/4·1/2 + 1·1/2 = 5/8; c: 1/2·1/2 = 1/4.
        Ease recent = new Ease(DATA, SEQS, 1.0, 0).scoredWith(1.0);
        assertThat(recent.scores("u3", DATA.history("u3")))
                .containsExactly(new double[] {0.25, 0.625, 0.25}, within(1e-12));
        assertThat(recent.name()).isEqualTo("EASE (λ=1), recent user row h=1");
    }

    @Test
    void tooLargeCataloguesAreSkippedWithAReason() {
        assertThat(Ease.whyNot(3)).isNull();
        assertThat(Ease.whyNot(Ease.MAX_ITEMS + 1))
                .contains("EASE not computed")
                .contains("10,001 items");
    }
}
