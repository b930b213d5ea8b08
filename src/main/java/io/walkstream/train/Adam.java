package io.walkstream.train;

import java.util.List;

/**
 * Adam (Kingma and Ba) with bias correction. For tables the moments of a row move only when the row
 * has a gradient (lazy Adam): decaying every row's moments each batch would cost O(catalogue) per
 * batch and keep moving rare items that nothing in the batch spoke about.
 */
public final class Adam implements Optimizer {
    static final double BETA1 = 0.9, BETA2 = 0.999, EPS = 1e-8;

    private final double lr;
    private final float[][] m;
    private final float[][] v;
    private long t;

    Adam(List<Param> params, double lr) {
        this.lr = lr;
        m = new float[params.size()][];
        v = new float[params.size()][];
        for (Param p : params) {
            m[p.id] = new float[p.value.length];
            v[p.id] = new float[p.value.length];
        }
    }

    @Override
    public void step(List<Param> params, Grads g) {
        t++;
        double c1 = 1 - Math.pow(BETA1, t), c2 = 1 - Math.pow(BETA2, t);
        double stepSize = lr * Math.sqrt(c2) / c1;
        for (Param p : params) {
            if (p.sparse) {
                for (int r : g.touched(p)) {
                    update(p, g.rowOrNull(p, r), r * p.cols, stepSize, c2);
                }
            } else {
                update(p, g.of(p), 0, stepSize, c2);
            }
        }
    }

    private void update(Param p, float[] grad, int offset, double stepSize, double c2) {
        float[] mm = m[p.id], vv = v[p.id], w = p.value;
        double eps = EPS * Math.sqrt(c2); // ε of the bias-corrected form, moved inside
        for (int i = 0; i < grad.length; i++) {
            int k = offset + i;
            mm[k] = (float) (BETA1 * mm[k] + (1 - BETA1) * grad[i]);
            vv[k] = (float) (BETA2 * vv[k] + (1 - BETA2) * grad[i] * grad[i]);
            w[k] -= (float) (stepSize * mm[k] / (Math.sqrt(vv[k]) + eps));
        }
    }
}
