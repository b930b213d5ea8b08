package io.walkstream.eval;

import java.util.Arrays;
import java.util.function.IntToDoubleFunction;

/**
 * Sparse item × item rows {@code S[i][j] = Σ_{v ∈ users(i), j ∈ items(v)} g(v)} of the training
 * matrix (a sparse product Rᵀ·diag(g)·R), computed row by row on first use and kept. A row costs
 * time in the items it reaches (one scratch accumulator is reused for every row), not in the
 * catalogue.
 */
final class CoOccurrence {
    private final TrainingData data;
    private final IntToDoubleFunction userWeight;
    private final int[][] cols;
    private final double[][] vals;
    private SparseScores scratch;

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
        if (cols[i] != null) {
            return;
        }
        if (scratch == null) {
            scratch = new SparseScores(data.itemCount());
        }
        SparseScores acc = scratch;
        for (int v : data.usersOf(i)) {
            double g = userWeight.applyAsDouble(v);
            for (int j : data.itemsOf(v)) {
                acc.add(j, g);
            }
        }
        int n = acc.size();
        int[] c = new int[n];
        for (int t = 0; t < n; t++) {
            c[t] = acc.item(t);
        }
        Arrays.sort(c);
        double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = acc.get(c[t]);
        }
        acc.clear();
        cols[i] = c;
        vals[i] = x;
    }
}
