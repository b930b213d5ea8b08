package io.walkstream.eval;

import java.util.Arrays;

/**
 * Baseline: exact RP3β (Paudel et al. 2016) by sparse matrix products on the binary training
 * matrix: the three-step transition probabilities user → item → user → item, each raised to α,
 * {@code P(u→j) = Σ_{i,v} (1/|u|)^α (1/deg i)^α (1/|v|)^α}, divided by {@code deg(j)^β}. No
 * sampling: what the walk estimates (up to decay and action weights), computed exactly.
 *
 * <p>With a {@code seedHalfLife} h > 0 the first step is weighted by recency the way the engine's
 * {@code walk.seedHalfLife} weights seeds: the user's k-th most recent training item (k = 0 for the
 * last; items in training-log order, i.e. by time) gets {@code 2^(-k/h)}, normalised to sum to 1,
 * instead of {@code 1/|u|}; the other two steps are unchanged. This is the exact counterpart of a
 * walk whose seeds favour recent behaviour, so the comparison isolates the sampling from the
 * recency.
 */
public final class ExactRp3Beta extends ScoringBaseline {
    private final double alpha;
    private final double beta;
    private final double seedHalfLife;
    private final CoOccurrence co;
    private final double[] degreeToBeta;

    public ExactRp3Beta(TrainingData data, double alpha, double beta) {
        this(data, alpha, beta, 0);
    }

    /**
     * @param seedHalfLife recency weighting of the user's items (0: uniform, the classic RP3β)
     */
    public ExactRp3Beta(TrainingData data, double alpha, double beta, double seedHalfLife) {
        this(data, alpha, beta, seedHalfLife, transitions(data, alpha));
    }

    /**
     * With the item-item rows of another RP3β of the same α (they depend only on α): computed once,
     * shared.
     */
    ExactRp3Beta(
            TrainingData data,
            double alpha,
            double beta,
            double seedHalfLife,
            CoOccurrence transitions) {
        super(data);
        this.alpha = alpha;
        this.beta = beta;
        this.seedHalfLife = seedHalfLife;
        this.co = transitions;
        this.degreeToBeta = new double[data.itemCount()];
        for (int j = 0; j < degreeToBeta.length; j++) {
            degreeToBeta[j] = Math.pow(data.degree(j), beta);
        }
    }

    /** The item → user → item rows {@code Σ_v |v|^-α} that RP3β of this α walks. */
    static CoOccurrence transitions(TrainingData data, double alpha) {
        return new CoOccurrence(data, v -> Math.pow(data.itemsOf(v).length, -alpha));
    }

    CoOccurrence transitions() {
        return co;
    }

    @Override
    public String name() {
        return "exact RP3β (α="
                + alpha
                + ", β="
                + beta
                + (seedHalfLife > 0 ? ", recent seeds h=" + seedHalfLife : "")
                + ")";
    }

    @Override
    void accumulate(int[] history, SparseScores acc) {
        if (history.length == 0) {
            return;
        }
        double[] pu = seedWeights(history.length);
        for (int p = 0; p < history.length; p++) {
            int i = history[p];
            double pi = pu[p] * Math.pow(data.degree(i), -alpha);
            int[] c = co.cols(i);
            double[] x = co.vals(i);
            for (int t = 0; t < c.length; t++) {
                acc.add(c[t], pi * x[t]);
            }
        }
        for (int t = 0; t < acc.size(); t++) {
            int j = acc.item(t);
            if (acc.get(j) > 0) {
                acc.set(j, acc.get(j) / degreeToBeta[j]);
            }
        }
    }

    /** The first step's probability per history position, raised to α: uniform, or by recency. */
    double[] seedWeights(int n) {
        double[] w = new double[n];
        if (!(seedHalfLife > 0)) {
            Arrays.fill(w, Math.pow(n, -alpha));
            return w;
        }
        double sum = 0;
        for (int p = 0; p < n; p++) {
            sum += w[p] = Math.pow(2, -(n - 1 - p) / seedHalfLife);
        }
        for (int p = 0; p < n; p++) {
            w[p] = Math.pow(w[p] / sum, alpha);
        }
        return w;
    }
}
