package io.walkstream.eval;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;

/**
 * Baseline: EASE (Steck 2019, "Embarrassingly Shallow Autoencoders for Sparse Data"), the
 * closed-form item-item model {@code B = I − P·diag(1/diag(P))} with {@code P = (XᵀX + λI)⁻¹}, so B
 * has a zero diagonal; a user's score for j is {@code Σ_i x_ui B[i][j]}.
 *
 * <p>Recency variants, with the engine's seed weighting (the user's k-th most recent distinct item,
 * k = 0 for the last, {@link Sequences} order, weighs {@code 2^(-k/h)}):
 *
 * <ul>
 *   <li>{@code fitHalfLife} h > 0: the rows of X that B is fitted on are recency-weighted, so B
 *       learns from what users did together recently;
 *   <li>{@code scoreHalfLife} h > 0: the user's row at scoring is recency-weighted (B unchanged) —
 *       the counterpart of the walk's recency-weighted seeds.
 * </ul>
 *
 * Dense: B has n² entries and P is inverted by EJML's Cholesky, so it is meant for catalogues of at
 * most {@link #MAX_ITEMS} items.
 */
public final class Ease extends ScoringBaseline {
    /**
     * Largest catalogue EASE is computed for (a dense n × n inverse: 10,000 items take 0.8 GB per
     * matrix).
     */
    public static final int MAX_ITEMS = 10_000;

    /**
     * Dense n × n matrices alive at once while fitting: the Gram matrix, G + λI, P and the solver's
     * copy.
     */
    static final int MATRICES_WHILE_FITTING = 4;

    private final Sequences seqs;
    private final double lambda;
    private final double fitHalfLife;
    private final double scoreHalfLife;
    private final int n;
    private final double[] b;

    /**
     * Fits EASE on the training data (computes the Gram matrix, then inverts); scores with the same
     * weighting.
     */
    public Ease(TrainingData data, Sequences seqs, double lambda, double halfLife) {
        this(data, seqs, lambda, halfLife, halfLife, gram(data, seqs, halfLife));
    }

    /**
     * Fits EASE from a Gram matrix computed by {@link #gram} with {@code fitHalfLife} (left
     * unchanged).
     */
    Ease(
            TrainingData data,
            Sequences seqs,
            double lambda,
            double fitHalfLife,
            double scoreHalfLife,
            double[] gram) {
        this(
                data,
                seqs,
                lambda,
                fitHalfLife,
                scoreHalfLife,
                fit(gram, data.itemCount(), lambda),
                true);
    }

    private Ease(
            TrainingData data,
            Sequences seqs,
            double lambda,
            double fitHalfLife,
            double scoreHalfLife,
            double[] b,
            boolean fitted) {
        super(data);
        this.seqs = seqs;
        this.lambda = lambda;
        this.fitHalfLife = fitHalfLife;
        this.scoreHalfLife = scoreHalfLife;
        this.n = data.itemCount();
        this.b = b;
    }

    /** The same B, scoring the user's row with another half-life (no refit). */
    Ease scoredWith(double halfLife) {
        return new Ease(data, seqs, lambda, fitHalfLife, halfLife, b, true);
    }

    @Override
    public String name() {
        if (fitHalfLife > 0) {
            return String.format(
                            Locale.ROOT,
                            "EASE, recency-weighted rows (λ=%s, h=%s)",
                            num(lambda),
                            num(fitHalfLife))
                    + (scoreHalfLife != fitHalfLife ? ", user row h=" + num(scoreHalfLife) : "");
        }
        return String.format(Locale.ROOT, "EASE (λ=%s)", num(lambda))
                + (scoreHalfLife > 0 ? ", recent user row h=" + num(scoreHalfLife) : "");
    }

    static String num(double x) {
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x);
        }
        return new BigDecimal(x).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    }

    public double lambda() {
        return lambda;
    }

    /**
     * Why a catalogue of this size is not fitted (more than {@link #MAX_ITEMS} items, or its dense
     * matrices would take more than 3/4 of the maximum heap); null if it is.
     */
    static String whyNot(int items) {
        if (items > MAX_ITEMS) {
            return String.format(
                    Locale.ROOT,
                    "EASE not computed: %,d items, more than %,d (a dense %,d × %,d inverse)",
                    items,
                    MAX_ITEMS,
                    items,
                    items);
        }
        long need = (long) MATRICES_WHILE_FITTING * items * items * Double.BYTES;
        long max = Runtime.getRuntime().maxMemory();
        if (need > max * 3 / 4) {
            return String.format(
                    Locale.ROOT,
                    "EASE not computed: %,d items need about %,d MB of heap, more than 3/4 of -Xmx (%,d MB)",
                    items,
                    need >> 20,
                    max >> 20);
        }
        return null;
    }

    @Override
    boolean isSparse() {
        return false; // B is dense: every item gets a score from every history item
    }

    @Override
    double[] scores(int[] history) {
        throw new UnsupportedOperationException(
                "EASE scores from the user's sequence: scores(user, history)");
    }

    @Override
    double[] scores(String user, int[] history) {
        double[] s = new double[n];
        int[] items = Sequences.recentDistinct(seqs.of(user), Integer.MAX_VALUE);
        double[] x = rowWeights(items.length, scoreHalfLife);
        for (int a = 0; a < items.length; a++) {
            int row = items[a] * n;
            double w = x[a];
            for (int j = 0; j < n; j++) {
                s[j] += w * b[row + j];
            }
        }
        return s;
    }

    /**
     * The weights of a user's m distinct items, most recent first: 1 each, or {@code 2^(-k/h)} (the
     * last item 1). Not rescaled to the number of items as the engine's seeds are: that would give
     * a heavy user's last items weights in the tens, and their pairs would dominate XᵀX.
     */
    static double[] rowWeights(int m, double halfLife) {
        double[] x = new double[m];
        for (int k = 0; k < m; k++) {
            x[k] = Sequences.recencyWeight(k, halfLife);
        }
        return x;
    }

    /** The trace of a Gram matrix: the scale λ is measured against. */
    static double trace(double[] gram, int n) {
        double t = 0;
        for (int i = 0; i < n; i++) {
            t += gram[i * n + i];
        }
        return t;
    }

    /** XᵀX (n × n, row-major) of the training matrix with rows weighted by {@link #rowWeights}. */
    static double[] gram(TrainingData data, Sequences seqs, double halfLife) {
        int n = data.itemCount();
        double[] g = new double[n * n];
        for (int[] seq : seqs.all()) {
            int[] items = Sequences.recentDistinct(seq, Integer.MAX_VALUE);
            double[] x = rowWeights(items.length, halfLife);
            for (int a = 0; a < items.length; a++) {
                int row = items[a] * n;
                double xa = x[a];
                for (int c = 0; c < items.length; c++) {
                    g[row + items[c]] += xa * x[c];
                }
            }
        }
        return g;
    }

    /**
     * {@code B = I − P·diag(1/diag(P))}, {@code P = (G + λI)⁻¹} (Cholesky: G + λI is symmetric
     * positive definite).
     */
    static double[] fit(double[] gram, int n, double lambda) {
        DMatrixRMaj a = new DMatrixRMaj(n, n);
        System.arraycopy(gram, 0, a.data, 0, n * n);
        for (int i = 0; i < n; i++) {
            a.data[i * n + i] += lambda;
        }
        DMatrixRMaj p = new DMatrixRMaj(n, n);
        if (!CommonOps_DDRM.invertSPD(a, p)) {
            throw new IllegalStateException("XᵀX + λI is not positive definite (λ=" + lambda + ")");
        }
        a = null;
        double[] b = p.data;
        double[] diag = new double[n];
        for (int j = 0; j < n; j++) {
            diag[j] = b[j * n + j];
        }
        for (int i = 0; i < n; i++) {
            int row = i * n;
            for (int j = 0; j < n; j++) {
                b[row + j] = i == j ? 0.0 : -b[row + j] / diag[j];
            }
        }
        return b;
    }
}
