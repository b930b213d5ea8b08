package io.walkstream.eval;

import io.walkstream.io.VectorsFile;

/**
 * Trained vectors alone, with no walk: a user's score for an item is the cosine of the item's
 * vector to the user vector as the job forms it: the unit vectors of the user's latest {@code
 * maxSeeds} training items, the k-th most recent weighed 2^(−k / seedHalfLife) (equal weights with
 * 0). Shows what the vectors know on their own, next to what they add to the walk. Items without a
 * vector score lowest.
 */
public final class VectorCosine extends ScoringBaseline {
    private final float[][] unit;
    private final String model;
    private final double seedHalfLife;
    private final int maxSeeds;

    public VectorCosine(
            TrainingData data, VectorsFile.Vectors vectors, double seedHalfLife, int maxSeeds) {
        super(data);
        this.model = vectors.model();
        this.seedHalfLife = seedHalfLife;
        this.maxSeeds = maxSeeds;
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
        return "trained vectors alone ("
                + model
                + (seedHalfLife > 0 ? ", recent items h=" + seedHalfLife : "")
                + ")";
    }

    @Override
    boolean isSparse() {
        return false; // a score for every item with a vector
    }

    @Override
    double[] scores(int[] history) {
        double[] user = null;
        for (int k = 0; k < Math.min(history.length, maxSeeds); k++) {
            int i = history[history.length - 1 - k];
            if (unit[i] == null) {
                continue;
            }
            if (user == null) {
                user = new double[unit[i].length];
            }
            double w = Sequences.recencyWeight(k, seedHalfLife);
            for (int d = 0; d < user.length; d++) {
                user[d] += w * unit[i][d];
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
