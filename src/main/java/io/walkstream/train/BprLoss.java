package io.walkstream.train;

/**
 * Bayesian personalised ranking with several negatives per positive: L = (1/m) Σ_j softplus(−(s⁺ −
 * s⁻_j)) = −(1/m) Σ_j log σ(s⁺ − s⁻_j). It rewards ranking the observed item above each sampled
 * one, which is what HR@k measures.
 */
public final class BprLoss {
    private BprLoss() {}

    /**
     * The loss of one positive score against its negatives; writes dL/ds⁺ into {@code dPos[0]} and
     * dL/ds⁻_j into {@code dNeg[j]}.
     */
    static double loss(double pos, double[] neg, double[] dPos, double[] dNeg) {
        double l = 0, dp = 0;
        int m = neg.length;
        for (int j = 0; j < m; j++) {
            double x = pos - neg[j];
            l += softplus(-x);
            double s = sigmoid(-x) / m; // d softplus(−x) / dx = −σ(−x)
            dp -= s;
            dNeg[j] = s;
        }
        dPos[0] = dp;
        return l / m;
    }

    /** log(1 + e^z), without overflow for large |z|. */
    static double softplus(double z) {
        return z > 30 ? z : z < -30 ? Math.exp(z) : Math.log1p(Math.exp(z));
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
