package io.walkstream.train;

/**
 * One GraphSAGE layer: h' = act(W_self · h + W_neigh · mean(h of sampled neighbours) + b). Separate
 * weights for the node itself and its neighbourhood (GraphSAGE's concatenation, written as a sum of
 * two products) let the model weigh what a node is against whom it is with.
 */
public final class SageLayer {
    final int in;
    final int out;
    final Activation act;
    final Param wSelf;
    final Param wNeigh;
    final Param b;

    SageLayer(Param wSelf, Param wNeigh, Param b, Activation act) {
        this.wSelf = wSelf;
        this.wNeigh = wNeigh;
        this.b = b;
        this.act = act;
        this.out = wSelf.rows;
        this.in = wSelf.cols;
    }

    float[] forward(float[] self, float[] neigh, float[] pre) {
        float[] ws = wSelf.value, wn = wNeigh.value;
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            float s = b.value[o];
            int row = o * in;
            for (int i = 0; i < in; i++) {
                s += ws[row + i] * self[i] + wn[row + i] * neigh[i];
            }
            pre[o] = s;
            y[o] = act.apply(s);
        }
        return y;
    }

    /**
     * Accumulates the weight gradients into {@code g}, and dL/dself, dL/dneigh into the given
     * arrays (+=).
     */
    void backward(
            float[] self,
            float[] neigh,
            float[] pre,
            float[] y,
            float[] dy,
            Grads g,
            float[] dSelf,
            float[] dNeigh) {
        float[] gs = g.of(wSelf), gn = g.of(wNeigh), gb = g.of(b);
        float[] ws = wSelf.value, wn = wNeigh.value;
        for (int o = 0; o < out; o++) {
            float d = dy[o] * act.derivative(pre[o], y[o]);
            if (d == 0) {
                continue;
            }
            gb[o] += d;
            int row = o * in;
            for (int i = 0; i < in; i++) {
                gs[row + i] += d * self[i];
                gn[row + i] += d * neigh[i];
                dSelf[i] += d * ws[row + i];
                dNeigh[i] += d * wn[row + i];
            }
        }
    }
}
