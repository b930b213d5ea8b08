package io.walkstream.eval;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Baseline: items by number of distinct training users, the same list for everyone. The ranking
 * (degree descending, tie hash ascending) is computed once; a user's list is its first k items not
 * in the user's history.
 */
public final class MostPopular extends ScoringBaseline {
    private int[] ranking;

    public MostPopular(TrainingData data) {
        super(data);
    }

    @Override
    public String name() {
        return "most popular";
    }

    /**
     * Nothing per user: the score is the item's degree ({@link #candidateScore}, {@link #scores}).
     */
    @Override
    void accumulate(int[] history, SparseScores acc) {}

    @Override
    double candidateScore(int item, SparseScores acc, double[] dense) {
        return data.degree(item);
    }

    @Override
    double[] scores(int[] history) {
        double[] s = new double[data.itemCount()];
        for (int i = 0; i < s.length; i++) {
            s[i] = data.degree(i);
        }
        return s;
    }

    @Override
    int[] topSparse(String user, int[] history, int k) {
        if (ranking == null) {
            long[] ties = data.ties();
            ranking =
                    IntStream.range(0, data.itemCount())
                            .boxed()
                            .sorted(
                                    (a, b) ->
                                            TopK.compare(
                                                    data.degree(a),
                                                    ties[a],
                                                    data.degree(b),
                                                    ties[b]))
                            .mapToInt(Integer::intValue)
                            .toArray();
        }
        Set<Integer> excluded = new HashSet<>(history.length * 2);
        for (int i : history) {
            excluded.add(i);
        }
        int[] out = new int[Math.min(k, Math.max(0, data.itemCount() - excluded.size()))];
        int n = 0;
        for (int p = 0; p < ranking.length && n < out.length; p++) {
            if (!excluded.contains(ranking[p])) {
                out[n++] = ranking[p];
            }
        }
        return Arrays.copyOf(out, n);
    }
}
