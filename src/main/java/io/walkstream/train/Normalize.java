package io.walkstream.train;

/**
 * Scales a vector to unit length. The job compares vectors by cosine, so the trainer scores pairs
 * by the dot product of unit vectors: what it optimises is what serving measures.
 */
public final class Normalize {
    static final float EPS = 1e-8f;

    private Normalize() {}

    static float norm(float[] x) {
        double s = 0;
        for (float v : x) {
            s += (double) v * v;
        }
        return (float) Math.sqrt(s) + EPS;
    }

    static float[] forward(float[] x, float norm) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] / norm;
        }
        return y;
    }

    /** dL/dx = (dy − y (y · dy)) / |x|. */
    static float[] backward(float[] y, float norm, float[] dy) {
        double dot = 0;
        for (int i = 0; i < y.length; i++) {
            dot += (double) y[i] * dy[i];
        }
        float[] dx = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            dx[i] = (float) ((dy[i] - y[i] * dot) / norm);
        }
        return dx;
    }
}
