package io.walkstream.eval;

/** Baseline: items by number of distinct training users, the same list for everyone. */
public final class MostPopular extends ScoringBaseline {
    public MostPopular(TrainingData data) {
        super(data);
    }

    @Override
    public String name() {
        return "most popular";
    }

    @Override
    double[] scores(int[] history) {
        double[] s = new double[data.itemCount()];
        for (int i = 0; i < s.length; i++) s[i] = data.degree(i);
        return s;
    }
}
