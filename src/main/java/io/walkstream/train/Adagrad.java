package io.walkstream.train;

import java.util.Arrays;
import java.util.List;

/**
 * Adagrad (Duchi et al.): per-element step sizes shrink with the accumulated squared gradient. A
 * good fit for embedding tables, where rare rows keep large steps and frequent ones settle.
 */
public final class Adagrad implements Optimizer {
    static final double EPS = 1e-10, INITIAL = 0.1;

    private final double lr;
    private final float[][] acc;

    Adagrad(List<Param> params, double lr) {
        this.lr = lr;
        acc = new float[params.size()][];
        for (Param p : params) {
            acc[p.id] = new float[p.value.length];
            Arrays.fill(acc[p.id], (float) INITIAL);
        }
    }

    @Override
    public void step(List<Param> params, Grads g) {
        for (Param p : params) {
            if (p.sparse) {
                for (int r : g.touched(p)) {
                    update(p, g.rowOrNull(p, r), r * p.cols);
                }
            } else {
                update(p, g.of(p), 0);
            }
        }
    }

    private void update(Param p, float[] grad, int offset) {
        float[] a = acc[p.id], w = p.value;
        for (int i = 0; i < grad.length; i++) {
            int k = offset + i;
            a[k] += grad[i] * grad[i];
            w[k] -= (float) (lr * grad[i] / (Math.sqrt(a[k]) + EPS));
        }
    }
}
