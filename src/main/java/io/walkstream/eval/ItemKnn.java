package io.walkstream.eval;

/**
 * Baseline: item-based kNN with cosine similarity on the binary training matrix, {@code sim(i,j) =
 * |users(i) ∩ users(j)| / sqrt(|users(i)|·|users(j)|)}; a user's score for j is the sum of sim(i,
 * j) over the items i in the user's history. All neighbours are used (no top-N pruning); only items
 * sharing a user with the history are scored (the rest score 0).
 */
public final class ItemKnn extends ScoringBaseline {
    private final CoOccurrence co;
    private final double[] sqrtDegree;

    public ItemKnn(TrainingData data) {
        super(data);
        this.co = new CoOccurrence(data, v -> 1.0);
        this.sqrtDegree = new double[data.itemCount()];
        for (int i = 0; i < sqrtDegree.length; i++) {
            sqrtDegree[i] = Math.sqrt(data.degree(i));
        }
    }

    @Override
    public String name() {
        return "item-kNN (cosine)";
    }

    @Override
    void accumulate(int[] history, SparseScores acc) {
        for (int i : history) {
            int[] c = co.cols(i);
            double[] x = co.vals(i);
            double di = sqrtDegree[i];
            for (int t = 0; t < c.length; t++) {
                int j = c[t];
                if (j != i) {
                    acc.add(j, x[t] / (di * sqrtDegree[j]));
                }
            }
        }
    }
}
