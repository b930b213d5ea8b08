package io.walkstream.eval;

import io.walkstream.io.VectorsFile;

/**
 * Trained vectors alone, with no walk: a user's score for an item is the cosine of the item's
 * vector to the mean of the unit vectors of the user's training items. Shows what the vectors know
 * on their own, next to what they add to the walk. Items without a vector score lowest.
 */
public final class VectorCosine extends ScoringBaseline {
    private final float[][] unit;
    private final String model;

    public VectorCosine(TrainingData data, VectorsFile.Vectors vectors) {
        super(data);
        this.model = vectors.model();
        unit = new float[data.itemCount()][];
        for (int i = 0; i < unit.length; i++) {
            float[] v = vectors.byItem().get(data.item(i));
            if (v == null) {
                continue;
            }
            double n = 0;
            for (float x : v) {
                n += (double) x * x;
            }
            n = Math.sqrt(n);
            unit[i] = new float[v.length];
            for (int d = 0; d < v.length; d++) {
                unit[i][d] = (float) (v[d] / n);
            }
        }
    }

    @Override
    public String name() {
        return "trained vectors alone (" + model + ")";
    }

    @Override
    boolean isSparse() {
        return false; // a score for every item with a vector
    }

    @Override
    double[] scores(int[] history) {
        double[] user = null;
        for (int i : history) {
            if (unit[i] == null) {
                continue;
            }
            if (user == null) {
                user = new double[unit[i].length];
            }
            for (int d = 0; d < user.length; d++) {
                user[d] += unit[i][d];
            }
        }
        double[] s = new double[unit.length];
        for (int i = 0; i < s.length; i++) {
            if (unit[i] == null || user == null) {
                s[i] = Double.NEGATIVE_INFINITY;
                continue;
            }
            double dot = 0;
            for (int d = 0; d < user.length; d++) {
                dot += user[d] * unit[i][d];
            }
            s[i] = dot; // unit item vectors: ranking by dot equals ranking by cosine
        }
        return s;
    }
}
