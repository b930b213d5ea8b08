package io.walkstream.eval;

/**
 * Baseline: exact RP3β (Paudel et al. 2016) by sparse matrix products on the binary training
 * matrix: the three-step transition probabilities user → item → user → item, each raised to α,
 * {@code P(u→j) = Σ_{i,v} (1/|u|)^α (1/deg i)^α (1/|v|)^α}, divided by {@code deg(j)^β}.
 * No sampling: what the walk estimates (up to decay and action weights), computed exactly.
 */
public final class ExactRp3Beta extends ScoringBaseline {
    private final double alpha;
    private final double beta;
    private final CoOccurrence co;

    public ExactRp3Beta(TrainingData data, double alpha, double beta) {
        super(data);
        this.alpha = alpha;
        this.beta = beta;
        this.co = new CoOccurrence(data, v -> Math.pow(data.itemsOf(v).length, -alpha));
    }

    @Override
    public String name() {
        return "exact RP3β (α=" + alpha + ", β=" + beta + ")";
    }

    @Override
    double[] scores(int[] history) {
        double[] s = new double[data.itemCount()];
        if (history.length == 0) return s;
        double pu = Math.pow(history.length, -alpha);
        for (int i : history) {
            double pi = pu * Math.pow(data.degree(i), -alpha);
            int[] c = co.cols(i);
            double[] x = co.vals(i);
            for (int t = 0; t < c.length; t++) s[c[t]] += pi * x[t];
        }
        for (int j = 0; j < s.length; j++) if (s[j] > 0) s[j] /= Math.pow(data.degree(j), beta);
        return s;
    }
}
