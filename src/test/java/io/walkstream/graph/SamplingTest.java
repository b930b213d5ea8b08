package io.walkstream.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Action;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

class SamplingTest {
    @Test
    void systematicSamplingConservesWalkersAndFollowsTheWeights() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 200; trial++) {
            int size = 1 + rnd.nextInt(30);
            double[] w = new double[size];
            double total = 0;
            for (int i = 0; i < size; i++) {
                w[i] = rnd.nextInt(4) == 0 ? 0 : rnd.nextDouble() * 10;
                total += w[i];
            }
            int n = 1 + rnd.nextInt(5000);
            int[] counts = new int[size];
            boolean placed =
                    SystematicSampler.place(w, size, n, new SplittableRandom(trial), counts);
            if (total == 0) {
                assertThat(placed).isFalse();
                continue;
            }
            assertThat(placed).isTrue();
            int sum = 0;
            for (int i = 0; i < size; i++) {
                sum += counts[i];
                double expected = n * w[i] / total;
                assertThat((double) counts[i])
                        .isBetween(Math.floor(expected) - 1e-9, Math.ceil(expected) + 1e-9);
                if (w[i] == 0) {
                    assertThat(counts[i]).isZero();
                }
            }
            assertThat(sum).isEqualTo(n);
        }
    }

    @Test
    void eachWalkerLandsWithProbabilityProportionalToWeight() {
        double[] w = {1, 2, 7};
        int[] counts = new int[3];
        long[] hits = new long[3];
        for (int seed = 0; seed < 20_000; seed++) {
            SystematicSampler.place(w, 3, 1, new SplittableRandom(seed), counts);
            for (int i = 0; i < 3; i++) {
                hits[i] += counts[i];
            }
        }
        assertThat(hits[0] / 20_000.0).isCloseTo(0.1, Offset.offset(0.01));
        assertThat(hits[1] / 20_000.0).isCloseTo(0.2, Offset.offset(0.01));
        assertThat(hits[2] / 20_000.0).isCloseTo(0.7, Offset.offset(0.01));
    }

    @Test
    void neighbourSamplingMergesRepeatsAndIgnoresEdgeOrder() {
        List<long[]> edges = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            edges.add(new long[] {i % 13, 1000 + i});
        }
        NeighbourSampler sampler = new NeighbourSampler();
        NeighbourSampler.EdgeWeight w = (a, ts, weight) -> ts % 7 == 0 ? 0 : 1 + ts % 3;
        String first = null;
        for (int shuffle = 0; shuffle < 10; shuffle++) {
            Collections.shuffle(edges, new Random(shuffle));
            Edges e = new Edges();
            for (long[] x : edges) {
                e.add(x[0], Action.VIEW.code(), x[1], 1f);
            }
            KeyedSums placed = sampler.sample(e, 1000, w, new SplittableRandom(99));
            StringBuilder sb = new StringBuilder();
            double total = 0;
            for (int i = 0; i < placed.size(); i++) {
                sb.append(placed.key(i)).append('=').append((int) placed.sum(i)).append(' ');
                total += placed.sum(i);
            }
            assertThat(total).isEqualTo(1000);
            assertThat(placed.size()).isLessThanOrEqualTo(13);
            if (first == null) {
                first = sb.toString();
            }
            assertThat(sb.toString()).isEqualTo(first);
        }
    }

    @Test
    void aNodeWithoutVisibleEdgesIsADeadEnd() {
        Edges e = new Edges();
        e.add(1, Action.VIEW.code(), 100, 1f);
        assertThat(new NeighbourSampler().sample(e, 10, (a, ts, w) -> 0, new SplittableRandom(1)))
                .isNull();
        assertThat(
                        new NeighbourSampler()
                                .sample(new Edges(), 10, (a, ts, w) -> 1, new SplittableRandom(1)))
                .isNull();
    }

    @Test
    void decayHalvesPerHalfLifeAndHidesTheFuture() {
        assertThat(Decay.factor(1000, 1000, 100)).isEqualTo(1.0);
        assertThat(Decay.factor(1100, 1000, 100)).isCloseTo(0.5, Offset.offset(1e-12));
        assertThat(Decay.factor(1300, 1000, 100)).isCloseTo(0.125, Offset.offset(1e-12));
        assertThat(Decay.factor(999, 1000, 100)).isZero();
        assertThat(Decay.factor(5000, 1000, 0)).isEqualTo(1.0);
    }

    @Test
    void keyedSumsMergeKeysAndKeepInsertionOrderThroughRehashes() {
        KeyedSums s = new KeyedSums(2);
        for (int round = 0; round < 3; round++) {
            for (long k = 0; k < 1000; k++) {
                s.add(k * 7919, 1);
            }
        }
        assertThat(s.size()).isEqualTo(1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(s.key(i)).isEqualTo(i * 7919L);
            assertThat(s.sum(i)).isEqualTo(3);
        }
        assertThat(s.indexOf(7919L * 500)).isEqualTo(500);
        assertThat(s.indexOf(-1)).isEqualTo(-1);
        s.clear();
        assertThat(s.size()).isZero();
        assertThat(s.indexOf(0)).isEqualTo(-1);
    }

    /**
     * Edges of one node: neighbour i has weight i + 1 (and neighbour 3 a repeated edge), in a
     * shuffled order.
     */
    private static Edges weighted(int neighbours, long shuffleSeed) {
        List<long[]> list = new ArrayList<>();
        for (int i = 0; i < neighbours; i++) {
            list.add(new long[] {1000 + i, i + 1});
        }
        list.add(new long[] {1003, 2});
        Collections.shuffle(list, new Random(shuffleSeed));
        Edges e = new Edges();
        for (long[] x : list) {
            e.add(x[0], Action.VIEW.code(), 0, x[1]);
        }
        return e;
    }

    private static final NeighbourSampler.EdgeWeight AS_STORED = (action, ts, weight) -> weight;

    @Test
    void lastHopSpreadSendsExactSharesWhenTheNodeIsSmall() {
        NeighbourSampler s = new NeighbourSampler();
        // 6 neighbours, total weight 1+2+3+(4+2)+5+6 = 23; 3 walkers x fanout 2 = 6 points: every
        // neighbour, exactly
        int n = s.spread(weighted(6, 1), 3, 2, 64, AS_STORED, new SplittableRandom(5));
        assertThat(n).isEqualTo(6);
        double mass = 0;
        int tokens = 0;
        for (int i = 0; i < n; i++) {
            long k = s.key(i);
            double w = k == 1003 ? 6 : k - 1000 + 1;
            assertThat(s.mass(i)).isCloseTo(3 * w / 23, Offset.offset(1e-12));
            if (i > 0) {
                assertThat(k).isGreaterThan(s.key(i - 1));
            }
            mass += s.mass(i);
            assertThat(s.tokens(i)).isPositive();
            // tokens follow the mass: one each, the rest in proportion
            assertThat((double) s.tokens(i)).isCloseTo(1 + (192 - 6) * w / 23, Offset.offset(1.0));
            tokens += s.tokens(i);
        }
        assertThat(mass).isCloseTo(3, Offset.offset(1e-9));
        assertThat(tokens).isEqualTo(3 * 64);
    }

    @Test
    void lastHopSpreadIsUnbiasedWithFewerPointsThanNeighbours() {
        NeighbourSampler s = new NeighbourSampler();
        int neighbours = 200;
        double total = 0;
        for (int i = 0; i < neighbours; i++) {
            total += i + 1;
        }
        total += 2;
        double[] sum = new double[neighbours];
        int trials = 20_000;
        for (int t = 0; t < trials; t++) {
            int n = s.spread(weighted(neighbours, 9), 2, 8, 64, AS_STORED, new SplittableRandom(t));
            assertThat(n).isLessThanOrEqualTo(16);
            double mass = 0;
            int tokens = 0;
            for (int i = 0; i < n; i++) {
                assertThat(s.mass(i)).isPositive();
                assertThat(s.tokens(i)).isPositive();
                sum[(int) (s.key(i) - 1000)] += s.mass(i);
                mass += s.mass(i);
                tokens += s.tokens(i);
            }
            assertThat(mass).isCloseTo(2, Offset.offset(1e-9));
            assertThat(tokens).isEqualTo(2 * 64);
        }
        for (int j : new int[] {100, 150, 199}) {
            double w = j + 1;
            assertThat(sum[j] / trials).isCloseTo(2 * w / total, Percentage.withPercentage(10));
        }
        // The same edges in another order give the same spread.
        int a = s.spread(weighted(neighbours, 1), 2, 8, 64, AS_STORED, new SplittableRandom(77));
        long[] keys = new long[a];
        double[] masses = new double[a];
        for (int i = 0; i < a; i++) {
            keys[i] = s.key(i);
            masses[i] = s.mass(i);
        }
        int b = s.spread(weighted(neighbours, 2), 2, 8, 64, AS_STORED, new SplittableRandom(77));
        assertThat(b).isEqualTo(a);
        for (int i = 0; i < b; i++) {
            assertThat(s.key(i)).isEqualTo(keys[i]);
            assertThat(s.mass(i)).isEqualTo(masses[i]);
        }
    }

    @Test
    void lastHopSpreadOfADeadEndIsEmpty() {
        assertThat(
                        new NeighbourSampler()
                                .spread(new Edges(), 5, 8, 64, AS_STORED, new SplittableRandom(1)))
                .isZero();
    }

    @Test
    void strongestSendsTheHeaviestNeighboursTheirShareOfTheWholeRow() {
        NeighbourSampler s = new NeighbourSampler();
        // Weights 1, 2, 3, 4 + 2 (a repeat), 5, 6; total 23. The 3 strongest: 1003 (6), 1005 (6),
        // 1004 (5); a tie at the threshold goes to the lower key.
        s.prepare(weighted(6, 1), AS_STORED);
        int n = s.strongest(4, 3, 64);
        assertThat(n).isEqualTo(3);
        long[] keys = {s.key(0), s.key(1), s.key(2)};
        assertThat(keys).containsExactly(1003, 1004, 1005);
        assertThat(s.mass(0)).isCloseTo(4 * 6 / 23.0, Offset.offset(1e-12));
        assertThat(s.mass(1)).isCloseTo(4 * 5 / 23.0, Offset.offset(1e-12));
        assertThat(s.mass(2)).isCloseTo(4 * 6 / 23.0, Offset.offset(1e-12));
        assertThat(s.tokens(0) + s.tokens(1) + s.tokens(2)).isEqualTo(4 * 64);

        s.prepare(weighted(6, 1), AS_STORED);
        assertThat(s.strongest(4, 1, 64)).isEqualTo(1);
        assertThat(s.key(0)).isEqualTo(1003); // 1003 and 1005 tie at 6: the lower key
        // Room for every neighbour: the exact spread's masses.
        NeighbourSampler exact = new NeighbourSampler();
        assertThat(exact.spread(weighted(6, 1), 3, 2, 64, AS_STORED, new SplittableRandom(5)))
                .isEqualTo(6);
        s.prepare(weighted(6, 2), AS_STORED);
        assertThat(s.strongest(3, 100, 64)).isEqualTo(6);
        for (int i = 0; i < 6; i++) {
            assertThat(s.key(i)).isEqualTo(exact.key(i));
            assertThat(s.mass(i)).isCloseTo(exact.mass(i), Offset.offset(1e-12));
            assertThat(s.tokens(i)).isEqualTo(exact.tokens(i));
        }
        // At most walkers x tokens per walker neighbours, so each gets a token.
        s.prepare(weighted(6, 1), AS_STORED);
        assertThat(s.strongest(1, 100, 4)).isEqualTo(4);
    }

    @Test
    void strongestSkipsTheGivenNeighboursWhoKeepTheirPartOfTheRow() {
        NeighbourSampler s = new NeighbourSampler();
        // Weights as above (total 23); 1003 and 1005 (6 each) skipped: the next three take the
        // slots, each with its share of the whole row, the skipped part included.
        s.prepare(weighted(6, 3), AS_STORED, new long[] {999, 1003, 1005});
        int n = s.strongest(4, 3, 64);
        assertThat(n).isEqualTo(3);
        assertThat(new long[] {s.key(0), s.key(1), s.key(2)}).containsExactly(1001, 1002, 1004);
        assertThat(s.mass(0)).isCloseTo(4 * 2 / 23.0, Offset.offset(1e-12));
        assertThat(s.mass(1)).isCloseTo(4 * 3 / 23.0, Offset.offset(1e-12));
        assertThat(s.mass(2)).isCloseTo(4 * 5 / 23.0, Offset.offset(1e-12));
        assertThat(s.tokens(0) + s.tokens(1) + s.tokens(2))
                .as("every walker's tokens still arrive somewhere")
                .isEqualTo(4 * 64);

        // Fewer neighbours left than slots: all of them, nothing skipped among them.
        s.prepare(weighted(6, 3), AS_STORED, new long[] {1000, 1001, 1002, 1003});
        assertThat(s.strongest(4, 100, 64)).isEqualTo(2);
        assertThat(new long[] {s.key(0), s.key(1)}).containsExactly(1004, 1005);

        // Keys that are not neighbours change nothing.
        s.prepare(weighted(6, 3), AS_STORED, new long[] {5, 2000});
        assertThat(s.strongest(4, 3, 64)).isEqualTo(3);
        assertThat(new long[] {s.key(0), s.key(1), s.key(2)}).containsExactly(1003, 1004, 1005);

        s.prepare(weighted(6, 3), AS_STORED, new long[] {1000, 1001, 1002, 1003, 1004, 1005});
        assertThat(s.strongest(4, 3, 64)).as("every neighbour skipped").isZero();
        // A skip lasts one prepare: the next one sees every neighbour.
        s.prepare(weighted(6, 3), AS_STORED);
        assertThat(s.strongest(4, 3, 64)).isEqualTo(3);
        assertThat(new long[] {s.key(0), s.key(1), s.key(2)}).containsExactly(1003, 1004, 1005);
        assertThat(s.mass(0)).isCloseTo(4 * 6 / 23.0, Offset.offset(1e-12));
    }

    @Test
    void theSpreadSkipsTheGivenNeighboursWhoKeepTheirPartOfTheRow() {
        NeighbourSampler s = new NeighbourSampler();
        long[] skip = {1003, 1005}; // 6 + 6 of the row's 23: the others carry 11/23 of the walkers
        // Room for every other neighbour: each its exact share of the whole row.
        s.prepare(weighted(6, 4), AS_STORED, skip);
        int n = s.spread(4, 8, 64, new SplittableRandom(1));
        assertThat(n).isEqualTo(4);
        double[] w = {1, 2, 3, 5};
        for (int i = 0; i < n; i++) {
            assertThat(s.key(i)).isEqualTo(new long[] {1000, 1001, 1002, 1004}[i]);
            assertThat(s.mass(i)).isCloseTo(4 * w[i] / 23, Offset.offset(1e-12));
        }
        assertThat(s.tokens(0) + s.tokens(1) + s.tokens(2) + s.tokens(3)).isEqualTo(4 * 64);

        // Fewer points than neighbours left: sampled among them, the same mass in all.
        s.prepare(weighted(6, 4), AS_STORED, skip);
        int sampled = s.spread(2, 1, 64, new SplittableRandom(7));
        double mass = 0;
        int tokens = 0;
        for (int i = 0; i < sampled; i++) {
            assertThat(s.key(i)).isNotIn(1003L, 1005L);
            mass += s.mass(i);
            tokens += s.tokens(i);
        }
        assertThat(sampled).isBetween(1, 2);
        assertThat(mass).isCloseTo(2 * 11 / 23.0, Offset.offset(1e-12));
        assertThat(tokens).isEqualTo(2 * 64);

        s.prepare(weighted(6, 4), AS_STORED, new long[] {1000, 1001, 1002, 1003, 1004, 1005});
        assertThat(s.spread(2, 1, 64, new SplittableRandom(7)))
                .as("every neighbour skipped")
                .isZero();
    }
}
