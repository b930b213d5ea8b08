package io.walkstream.train;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Gradients of one part of a batch: a full array per dense parameter, touched rows per table. Every
 * worker writes its own; they are summed in a fixed order ({@link #addAll}), so the result does not
 * depend on thread scheduling.
 */
public final class Grads {
    private final float[][] dense;
    private final Map<Integer, float[]>[] rows;
    private final List<Param> params;

    @SuppressWarnings("unchecked")
    Grads(List<Param> params) {
        this.params = params;
        dense = new float[params.size()][];
        rows = new Map[params.size()];
        for (Param p : params) {
            if (p.sparse) {
                rows[p.id] = new HashMap<>();
            } else {
                dense[p.id] = new float[p.value.length];
            }
        }
    }

    /** The gradient of a dense parameter. */
    float[] of(Param p) {
        return dense[p.id];
    }

    /** The gradient of one row of a table, created at zero when first touched. */
    float[] row(Param p, int row) {
        return rows[p.id].computeIfAbsent(row, r -> new float[p.cols]);
    }

    /** Touched rows of a table, in ascending order. */
    int[] touched(Param p) {
        int[] keys = rows[p.id].keySet().stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(keys);
        return keys;
    }

    float[] rowOrNull(Param p, int row) {
        return rows[p.id].get(row);
    }

    void clear() {
        for (Param p : params) {
            if (p.sparse) {
                rows[p.id].clear();
            } else {
                Arrays.fill(dense[p.id], 0f);
            }
        }
    }

    void addAll(Grads other) {
        for (Param p : params) {
            if (p.sparse) {
                for (int r : other.touched(p)) {
                    float[] src = other.rows[p.id].get(r);
                    float[] dst = row(p, r);
                    for (int i = 0; i < src.length; i++) {
                        dst[i] += src[i];
                    }
                }
            } else {
                float[] src = other.dense[p.id], dst = dense[p.id];
                for (int i = 0; i < src.length; i++) {
                    dst[i] += src[i];
                }
            }
        }
    }

    /** Adds the gradient of (l2 / 2) · |θ|², for the dense parameters and the touched rows. */
    void addL2(double l2) {
        if (l2 == 0) {
            return;
        }
        float f = (float) l2;
        for (Param p : params) {
            if (p.sparse) {
                for (int r : touched(p)) {
                    float[] g = rows[p.id].get(r);
                    for (int i = 0; i < g.length; i++) {
                        g[i] += f * p.value[r * p.cols + i];
                    }
                }
            } else {
                float[] g = dense[p.id];
                for (int i = 0; i < g.length; i++) {
                    g[i] += f * p.value[i];
                }
            }
        }
    }

    /** The global L2 norm of all gradients, summed in parameter and row order. */
    double norm() {
        double ss = 0;
        for (Param p : params) {
            if (p.sparse) {
                for (int r : touched(p)) {
                    for (float x : rows[p.id].get(r)) {
                        ss += (double) x * x;
                    }
                }
            } else {
                for (float x : dense[p.id]) {
                    ss += (double) x * x;
                }
            }
        }
        return Math.sqrt(ss);
    }

    void scale(float f) {
        for (Param p : params) {
            if (p.sparse) {
                for (float[] g : rows[p.id].values()) {
                    for (int i = 0; i < g.length; i++) {
                        g[i] *= f;
                    }
                }
            } else {
                float[] g = dense[p.id];
                for (int i = 0; i < g.length; i++) {
                    g[i] *= f;
                }
            }
        }
    }

    /**
     * Global gradient-norm clipping: scales every gradient down when their joint norm exceeds
     * {@code max}.
     */
    double clip(double max) {
        double n = norm();
        if (max > 0 && n > max) {
            scale((float) (max / n));
        }
        return n;
    }
}
