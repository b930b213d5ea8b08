package io.walkstream.eval;

/**
 * Baseline: item-based kNN with cosine similarity on the binary training matrix,
 * {@code sim(i,j) = |users(i) ∩ users(j)| / sqrt(|users(i)|·|users(j)|)}; a user's score for j is
 * the sum of sim(i, j) over the items i in the user's history. All neighbours are used (no
 * top-N pruning).
 */
public final class ItemKnn extends ScoringBaseline {
    private final CoOccurrence co;

    public ItemKnn(TrainingData data) {
        super(data);
        this.co = new CoOccurrence(data, v -> 1.0);
    }

    @Override
    public String name() {
        return "item-kNN (cosine)";
    }

    @Override
    double[] scores(int[] history) {
        double[] s = new double[data.itemCount()];
        for (int i : history) {
            int[] c = co.cols(i);
            double[] x = co.vals(i);
            double di = Math.sqrt(data.degree(i));
            for (int t = 0; t < c.length; t++) {
                int j = c[t];
                if (j != i) s[j] += x[t] / (di * Math.sqrt(data.degree(j)));
            }
        }
        return s;
    }
}
