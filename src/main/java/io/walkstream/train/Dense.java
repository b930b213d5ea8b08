package io.walkstream.train;

/**
 * A fully connected layer y = act(W x + b), W stored row-major (out × in). The caller keeps the
 * input and pre-activation of each forward pass for the backward pass, so one layer object serves
 * every thread at once.
 */
public final class Dense {
    final int in;
    final int out;
    final Activation act;
    final Param w;
    final Param b;

    Dense(Param w, Param b, Activation act) {
        this.w = w;
        this.b = b;
        this.act = act;
        this.out = w.rows;
        this.in = w.cols;
    }

    /** Writes W x + b into {@code pre} and returns act(pre). */
    float[] forward(float[] x, float[] pre) {
        float[] wv = w.value;
        float[] y = new float[out];
        for (int o = 0; o < out; o++) {
            float s = b.value[o];
            int row = o * in;
            for (int i = 0; i < in; i++) {
                s += wv[row + i] * x[i];
            }
            pre[o] = s;
            y[o] = act.apply(s);
        }
        return y;
    }

    /** Accumulates dW, db into {@code g} and returns dL/dx. */
    float[] backward(float[] x, float[] pre, float[] y, float[] dy, Grads g) {
        float[] gw = g.of(w), gb = g.of(b), wv = w.value;
        float[] dx = new float[in];
        for (int o = 0; o < out; o++) {
            float d = dy[o] * act.derivative(pre[o], y[o]);
            if (d == 0) {
                continue;
            }
            gb[o] += d;
            int row = o * in;
            for (int i = 0; i < in; i++) {
                gw[row + i] += d * x[i];
                dx[i] += d * wv[row + i];
            }
        }
        return dx;
    }
}
