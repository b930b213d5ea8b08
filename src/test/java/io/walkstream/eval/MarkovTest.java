package io.walkstream.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A hand-made log. Sequences (time order):
 *
 * <pre>
 * u1: a b c      u2: a b d      u3: b c      u4: c a      t: b a
 * </pre>
 *
 * Transitions with m = 2, w(k) = 1/k: a→b 1 (u1) + 1 (u2) = 2; a→c 1/2; a→d 1/2; b→c 1 + 1 = 2; b→d
 * 1; b→a 1 (t); c→a 1 (u4). Row sums: a 3, b 4, c 1.
 */
class MarkovTest {
    private static Event ev(String u, String i, long ts) {
        return Event.interaction(u, i, Action.RATE, ts, 1f);
    }

    private static List<Event> log() {
        return List.of(
                ev("u1", "a", 1),
                ev("u1", "b", 2),
                ev("u1", "c", 3),
                ev("u2", "a", 1),
                ev("u2", "b", 2),
                ev("u2", "d", 3),
                ev("u3", "b", 1),
                ev("u3", "c", 2),
                ev("u4", "c", 1),
                ev("u4", "a", 2),
                ev("t", "b", 1),
                ev("t", "a", 2),
                ev("u5", "e", 1),
                ev("u5", "f", 2));
    }

    private static final TrainingData DATA = new TrainingData(log());
    private static final Sequences SEQS = Sequences.of(log(), DATA);

    private static double t(Markov.Transitions tr, String from, String to) {
        int i = DATA.indexOf(from), j = DATA.indexOf(to);
        int[] c = tr.cols[i];
        for (int p = 0; p < c.length; p++) {
            if (c[p] == j) {
                return tr.vals[i][p];
            }
        }
        return 0;
    }

    @Test
    void transitionsCountThePreviousItemsWithFallingWeight() {
        Markov.Transitions tr =
                Markov.Transitions.count(DATA.itemCount(), SEQS, 2, Markov.Decay.INVERSE);
        assertThat(t(tr, "a", "b")).isEqualTo(2.0);
        assertThat(t(tr, "a", "c")).isEqualTo(0.5);
        assertThat(t(tr, "a", "d")).isEqualTo(0.5);
        assertThat(t(tr, "b", "c")).isEqualTo(2.0);
        assertThat(t(tr, "b", "d")).isEqualTo(1.0);
        assertThat(t(tr, "b", "a")).isEqualTo(1.0);
        assertThat(t(tr, "c", "a")).isEqualTo(1.0);
        assertThat(t(tr, "c", "b")).isEqualTo(0.0); // transitions run forward only
        assertThat(tr.rowSum[DATA.indexOf("a")]).isEqualTo(3.0);
        assertThat(tr.rowSum[DATA.indexOf("b")]).isEqualTo(4.0);
        // m = 1: only the item just before counts
        Markov.Transitions one =
                Markov.Transitions.count(DATA.itemCount(), SEQS, 1, Markov.Decay.INVERSE);
        assertThat(t(one, "a", "c")).isEqualTo(0.0);
        assertThat(t(one, "a", "b")).isEqualTo(2.0);
    }

    @Test
    void decayAtDistanceThreeIsAThirdOrAQuarter() {
        List<Event> l = List.of(ev("v", "p", 1), ev("v", "q", 2), ev("v", "r", 3), ev("v", "s", 4));
        TrainingData d = new TrainingData(l);
        Sequences s = Sequences.of(l, d);
        Markov.Transitions inv =
                Markov.Transitions.count(d.itemCount(), s, 3, Markov.Decay.INVERSE);
        Markov.Transitions half =
                Markov.Transitions.count(d.itemCount(), s, 3, Markov.Decay.HALVING);
        int p = d.indexOf("p"), sIdx = d.indexOf("s");
        assertThat(inv.cols[p]).contains(sIdx);
        assertThat(inv.vals[p][indexOf(inv.cols[p], sIdx)]).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(half.vals[p][indexOf(half.cols[p], sIdx)]).isEqualTo(0.25);
        assertThat(half.vals[p][indexOf(half.cols[p], d.indexOf("r"))]).isEqualTo(0.5);
    }

    private static int indexOf(int[] a, int x) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == x) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void scoresAreRecencyWeightedSumsOverTheLastItems() {
        // t's last items: a (k = 0, weight 1), b (k = 1, weight 2^-1/2). Raw transitions:
        // c = 1·0.5 + 0.7071·2 = 1.9142; d = 1·0.5 + 0.7071·1 = 1.2071; a, b are t's history.
        Markov raw =
                new Markov(DATA, SEQS, new Markov.Params(2, Markov.Decay.INVERSE, 2, false), 2);
        double w1 = Math.pow(2, -0.5);
        double[] s = raw.scores("t", DATA.history("t"));
        assertThat(s[DATA.indexOf("c")]).isCloseTo(0.5 + w1 * 2, within(1e-12));
        assertThat(s[DATA.indexOf("d")]).isCloseTo(0.5 + w1 * 1, within(1e-12));
        assertThat(s[DATA.indexOf("e")]).isEqualTo(0.0);
        TestCase test = new TestCase("t", 3, Set.of("c"), null);
        assertThat(raw.recommend(test, 2)).containsExactly("c", "d");
        // Everything not reached follows in tie-hash order (e, f: score 0), history (a, b) never.
        List<String> all = raw.recommend(test, 10);
        assertThat(all).hasSize(4).startsWith("c", "d").doesNotContain("a", "b");
        List<String> zero = new ArrayList<>(List.of("e", "f"));
        zero.sort((x, y) -> Long.compare(StableHash.of(x, "", 1), StableHash.of(y, "", 1)));
        assertThat(all.subList(2, 4)).isEqualTo(zero);

        // Row-normalised: a's row / 3, b's row / 4. c = 0.5/3 + w1·2/4, d = 0.5/3 + w1·1/4.
        Markov norm =
                new Markov(DATA, SEQS, new Markov.Params(2, Markov.Decay.INVERSE, 2, true), 2);
        double[] n = norm.scores("t", DATA.history("t"));
        assertThat(n[DATA.indexOf("c")]).isCloseTo(0.5 / 3 + w1 * 0.5, within(1e-12));
        assertThat(n[DATA.indexOf("d")]).isCloseTo(0.5 / 3 + w1 * 0.25, within(1e-12));

        // L = 1: only a; c and d tie at 0.5 (then the tie hash decides); u4's last item a → b, c,
        // d.
        Markov last =
                new Markov(DATA, SEQS, new Markov.Params(2, Markov.Decay.INVERSE, 1, false), 2);
        assertThat(last.recommend(new TestCase("u4", 3, Set.of("x"), null), 1))
                .containsExactly("b");
        assertThat(last.name()).isEqualTo("markov (m=2, 1/k, L=1, seeds h=2.0)");
    }

    @Test
    void sequencesFollowTheSplittersTieBreakAndCollapseRepeats() {
        // Equal timestamps: ordered by StableHash.of(user, item, 0), whatever the order in the log.
        List<Event> l =
                List.of(
                        ev("w", "x", 5),
                        ev("w", "y", 5),
                        ev("w", "y", 6),
                        ev("w", "y", 7),
                        ev("w", "z", 8));
        TrainingData d = new TrainingData(l);
        int[] seq = Sequences.of(l, d).of("w");
        boolean xFirst = StableHash.of("w", "x", 0) < StableHash.of("w", "y", 0);
        // y repeated at 6 and 7 (and at 5 when x comes first) collapses into one
        if (xFirst) {
            assertThat(seq).containsExactly(d.indexOf("x"), d.indexOf("y"), d.indexOf("z"));
        } else {
            assertThat(seq)
                    .containsExactly(
                            d.indexOf("y"), d.indexOf("x"), d.indexOf("y"), d.indexOf("z"));
        }
        assertThat(Sequences.recentDistinct(seq, 2))
                .containsExactly(d.indexOf("z"), d.indexOf("y"));
    }

    @Test
    void aSecondStepAddsWhatFollowsTheLikelyNextItems() {
        // t's last item a (L = 1): one step gives b 2, c 0.5, d 0.5 (c and d tie). With share 0.5
        // the second step adds, scaled by 0.5 / (1 - 0.5) = 1, b's mass 2 over b's normalised row
        // (c 2/4, d 1/4, a 1/4) and c's mass 0.5 over c's row (a 1); d has no row.
        Markov.Params oneStep = new Markov.Params(2, Markov.Decay.INVERSE, 1, false);
        double[] one = new Markov(DATA, SEQS, oneStep, 2).scores("t", DATA.history("t"));
        assertThat(one[DATA.indexOf("c")]).isEqualTo(one[DATA.indexOf("d")]).isEqualTo(0.5);

        Markov two = new Markov(DATA, SEQS, oneStep.withTwoStep(0.5), 2);
        double[] s = two.scores("t", DATA.history("t"));
        assertThat(s[DATA.indexOf("b")]).isCloseTo(2.0, within(1e-12));
        assertThat(s[DATA.indexOf("c")]).isCloseTo(0.5 + 1.0, within(1e-12));
        assertThat(s[DATA.indexOf("d")]).isCloseTo(0.5 + 0.5, within(1e-12));
        assertThat(s[DATA.indexOf("e")]).isZero();
        assertThat(two.recommend(new TestCase("t", 3, Set.of("c"), null), 2))
                .containsExactly("c", "d");
        assertThat(two.name()).isEqualTo("markov (m=2, 1/k, L=1, two steps 0.50, seeds h=2.0)");
    }
}
