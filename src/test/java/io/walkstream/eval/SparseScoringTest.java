package io.walkstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Sparse top-k scoring gives the rankings of the dense computation it replaced: every item scored,
 * hashed and sorted per user. {@link Dense} is that former code (the same arithmetic in the same
 * order), kept here as the reference.
 */
class SparseScoringTest {
    /**
     * A random log with a skewed catalogue: 80 users, 60 items, 1–25 interactions each, some items
     * never used.
     */
    static List<Event> randomLog(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Event> log = new ArrayList<>();
        for (int u = 0; u < 80; u++) {
            int n = 1 + rnd.nextInt(25);
            for (int t = 0; t < n; t++) {
                int item =
                        (int) Math.floor(60 * Math.pow(rnd.nextDouble(), 2)); // popular items first
                log.add(
                        Event.interaction(
                                "u" + u, "i" + item, Action.RATE, 1000L * u + rnd.nextInt(5), 1f));
            }
        }
        log.sort(Comparator.comparingLong(e -> e.ts));
        return log;
    }

    /**
     * The former dense implementation: scores of every item, then a heap over every item not in the
     * history.
     */
    static final class Dense {
        static List<String> recommend(TrainingData data, double[] s, int[] history, int k) {
            Comparator<Object[]> best =
                    Comparator.comparingDouble((Object[] x) -> (double) x[1])
                            .reversed()
                            .thenComparingLong(x -> (long) x[2]);
            boolean[] seen = new boolean[data.itemCount()];
            for (int i : history) {
                seen[i] = true;
            }
            PriorityQueue<Object[]> top = new PriorityQueue<>(best.reversed());
            for (int i = 0; i < s.length; i++) {
                if (seen[i]) {
                    continue;
                }
                top.add(new Object[] {data.item(i), s[i], StableHash.of(data.item(i), "", 1)});
                if (top.size() > k) {
                    top.poll();
                }
            }
            List<String> out = new ArrayList<>();
            while (!top.isEmpty()) {
                out.add((String) top.poll()[0]);
            }
            Collections.reverse(out);
            return out;
        }

        static double[] mostPopular(TrainingData data) {
            double[] s = new double[data.itemCount()];
            for (int i = 0; i < s.length; i++) {
                s[i] = data.degree(i);
            }
            return s;
        }

        static double[] itemKnn(TrainingData data, CoOccurrence co, int[] history) {
            double[] s = new double[data.itemCount()];
            for (int i : history) {
                int[] c = co.cols(i);
                double[] x = co.vals(i);
                double di = Math.sqrt(data.degree(i));
                for (int t = 0; t < c.length; t++) {
                    int j = c[t];
                    if (j != i) {
                        s[j] += x[t] / (di * Math.sqrt(data.degree(j)));
                    }
                }
            }
            return s;
        }

        static double[] rp3(
                TrainingData data,
                CoOccurrence co,
                int[] history,
                double[] pu,
                double alpha,
                double beta) {
            double[] s = new double[data.itemCount()];
            for (int p = 0; p < history.length; p++) {
                int i = history[p];
                double pi = pu[p] * Math.pow(data.degree(i), -alpha);
                int[] c = co.cols(i);
                double[] x = co.vals(i);
                for (int t = 0; t < c.length; t++) {
                    s[c[t]] += pi * x[t];
                }
            }
            for (int j = 0; j < s.length; j++) {
                if (s[j] > 0) {
                    s[j] /= Math.pow(data.degree(j), beta);
                }
            }
            return s;
        }
    }

    @Test
    void sparseRankingsEqualTheDenseOnesOnRandomData() {
        for (long seed = 1; seed <= 5; seed++) {
            List<Event> log = randomLog(seed);
            TrainingData data = new TrainingData(log);
            Sequences seqs = Sequences.of(log, data);
            CoOccurrence ones = new CoOccurrence(data, v -> 1.0);
            MostPopular pop = new MostPopular(data);
            ItemKnn knn = new ItemKnn(data);
            ExactRp3Beta rp3 = new ExactRp3Beta(data, 1.0, 0.3),
                    recent = new ExactRp3Beta(data, 0.8, 0.5, 2.0);
            CoOccurrence rp3Rows =
                    new CoOccurrence(data, v -> Math.pow(data.itemsOf(v).length, -1.0));
            CoOccurrence recentRows =
                    new CoOccurrence(data, v -> Math.pow(data.itemsOf(v).length, -0.8));
            List<Markov> markovs =
                    List.of(
                            new Markov(
                                    data,
                                    seqs,
                                    new Markov.Params(1, Markov.Decay.INVERSE, 1, false),
                                    2),
                            new Markov(
                                    data,
                                    seqs,
                                    new Markov.Params(3, Markov.Decay.INVERSE, 5, true),
                                    2),
                            new Markov(
                                    data,
                                    seqs,
                                    new Markov.Params(5, Markov.Decay.HALVING, 20, false),
                                    0));
            int checked = 0;
            for (int u = 0; u < 80; u++) {
                String user = "u" + u;
                int[] h = data.history(user);
                if (h.length == 0) {
                    continue;
                }
                for (int k : new int[] {1, 5, 10, data.itemCount()}) {
                    TestCase t = new TestCase(user, 0, Set.of("?"), null);
                    assertThat(pop.recommend(t, k))
                            .as("most popular, k=%d", k)
                            .isEqualTo(Dense.recommend(data, Dense.mostPopular(data), h, k));
                    assertThat(knn.recommend(t, k))
                            .as("item-kNN, %s, k=%d", user, k)
                            .isEqualTo(Dense.recommend(data, Dense.itemKnn(data, ones, h), h, k));
                    assertThat(rp3.recommend(t, k))
                            .as("RP3β, %s, k=%d", user, k)
                            .isEqualTo(
                                    Dense.recommend(
                                            data,
                                            Dense.rp3(
                                                    data,
                                                    rp3Rows,
                                                    h,
                                                    rp3.seedWeights(h.length),
                                                    1.0,
                                                    0.3),
                                            h,
                                            k));
                    assertThat(recent.recommend(t, k))
                            .as("recent RP3β, %s, k=%d", user, k)
                            .isEqualTo(
                                    Dense.recommend(
                                            data,
                                            Dense.rp3(
                                                    data,
                                                    recentRows,
                                                    h,
                                                    recent.seedWeights(h.length),
                                                    0.8,
                                                    0.5),
                                            h,
                                            k));
                    for (Markov m : markovs) {
                        assertThat(m.recommend(t, k))
                                .as("%s, %s, k=%d", m.name(), user, k)
                                .isEqualTo(Dense.recommend(data, m.scores(user, h), h, k));
                    }
                    checked++;
                }
            }
            assertThat(checked).isGreaterThan(200);
        }
    }

    @Test
    void theFullListCoversEveryItemOutsideTheHistory() {
        List<Event> log = randomLog(9);
        TrainingData data = new TrainingData(log);
        ItemKnn knn = new ItemKnn(data);
        int[] h = data.history("u3");
        List<String> all =
                knn.recommend(new TestCase("u3", 0, Set.of("?"), null), data.itemCount());
        assertThat(all).hasSize(data.itemCount() - h.length).doesNotHaveDuplicates();
    }

    @Test
    void topKKeepsTheBestByScoreThenTieHash() {
        long[] ties = {5, 3, 9, 1, 7};
        TopK top = new TopK(3, ties);
        double[] s = {1.0, 2.0, 2.0, 0.5, 2.0};
        for (int i = 0; i < s.length; i++) {
            top.offer(i, s[i]);
        }
        // score 2.0: items 1 (tie 3), 4 (tie 7), 2 (tie 9) — ascending tie hash
        assertThat(top.drainBestFirst()).containsExactly(1, 4, 2);
    }
}
