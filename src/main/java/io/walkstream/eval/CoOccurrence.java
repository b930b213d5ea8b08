package io.walkstream.eval;

import java.util.function.IntToDoubleFunction;

/**
 * Sparse item × item rows {@code S[i][j] = Σ_{v ∈ users(i), j ∈ items(v)} g(v)} of the training
 * matrix (a sparse product Rᵀ·diag(g)·R), computed row by row on first use and kept.
 */
final class CoOccurrence {
    private final TrainingData data;
    private final IntToDoubleFunction userWeight;
    private final int[][] cols;
    private final double[][] vals;

    CoOccurrence(TrainingData data, IntToDoubleFunction userWeight) {
        this.data = data;
        this.userWeight = userWeight;
        this.cols = new int[data.itemCount()][];
        this.vals = new double[data.itemCount()][];
    }

    int[] cols(int i) {
        ensure(i);
        return cols[i];
    }

    double[] vals(int i) {
        ensure(i);
        return vals[i];
    }

    private void ensure(int i) {
        if (cols[i] != null) return;
        double[] acc = new double[data.itemCount()];
        int[] touched = new int[data.itemCount()];
        int n = 0;
        for (int v : data.usersOf(i)) {
            double g = userWeight.applyAsDouble(v);
            for (int j : data.itemsOf(v)) {
                if (acc[j] == 0) touched[n++] = j;
                acc[j] += g;
            }
        }
        java.util.Arrays.sort(touched, 0, n);
        int[] c = new int[n];
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            c[t] = touched[t];
            x[t] = acc[touched[t]];
        }
        cols[i] = c;
        vals[i] = x;
    }
}
