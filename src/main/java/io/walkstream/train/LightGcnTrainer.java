package io.walkstream.train;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Trains {@link LightGcn} vectors for the way the job uses them: a user's query is the
 * recency-weighted sum of the unit vectors of their items before the target ({@link QueryWeights},
 * like the job's seeds), the score of an item is scale × cosine, and the loss is the sampled
 * softmax of the target against a per-batch pool of distinct negatives. Epochs run until the
 * validation HR@10 has not improved for {@code patience} epochs; the best epoch's vectors are kept.
 *
 * <p>Reproducible whatever the thread count: randomness comes from generators seeded by (seed,
 * epoch, batch); per-pair work writes only the pair's own slots, and gradients are summed per pool
 * item (parallel over items) and then per pair in pair order (serial).
 */
final class LightGcnTrainer {
    private final TrainConfig cfg;
    private final TrainingGraph graph;
    private final LightGcn model;
    private final QueryWeights query;
    private final HoldOut validation;
    private final Consumer<String> progress;
    private final int dim;

    LightGcnTrainer(
            TrainConfig cfg, TrainingGraph graph, HoldOut validation, Consumer<String> progress) {
        this.cfg = cfg;
        this.graph = graph;
        this.model = new LightGcn(graph, cfg.outDim, cfg.propagationLayers, cfg.seed);
        this.query = new QueryWeights(cfg.queryHalfLife, cfg.window);
        this.validation = validation;
        this.progress = progress;
        this.dim = cfg.outDim;
    }

    Trainer.Result train() throws Exception {
        List<Param> params = model.params();
        Optimizer opt = Optimizer.of(cfg.optimizer, params, cfg.learningRate);
        Grads grads = new Grads(params);
        double[] popularity = Trainer.popularityCumulative(graph, cfg.negativeSampling);
        return EpochLoop.run(
                cfg,
                graph,
                validation,
                progress,
                (batch, seed) -> {
                    grads.clear();
                    double loss = step(batch, pool(new SplittableRandom(seed), popularity), grads);
                    grads.addL2(cfg.l2);
                    grads.clip(cfg.clipNorm);
                    opt.step(params, grads);
                    return loss;
                },
                this::vectors);
    }

    /** Distinct negatives for one batch, drawn uniformly or by popularity. */
    private int[] pool(SplittableRandom rnd, double[] popularity) {
        int size = Math.min(cfg.negativePool, graph.interactedItems());
        int[] pool = new int[size];
        boolean[] taken = new boolean[graph.itemCount()];
        for (int n = 0; n < size; ) {
            int item = Trainer.drawNegative(rnd, popularity);
            if (!taken[item]) {
                taken[item] = true;
                pool[n++] = item;
            }
        }
        return pool;
    }

    LightGcn model() {
        return model;
    }

    /** Forward, loss and backward of one batch into {@code grads}; returns the mean loss. */
    double step(long[] batch, int[] pool, Grads grads) {
        float[] f = model.forward();
        float[] len = new float[graph.itemCount()];
        float[] unit = unitRows(f, len);
        Batch b = new Batch(batch.length, pool.length, dim);
        IntStream.range(0, batch.length).parallel().forEach(p -> pair(p, batch[p], pool, unit, b));
        float[] dUnit = new float[f.length];
        gatherPool(pool, b, dUnit);
        gatherPairs(batch, b, dUnit);
        model.backward(throughUnitLength(dUnit, unit, len), grads);
        double loss = 0;
        for (double l : b.loss) {
            loss += l;
        }
        return loss / batch.length;
    }

    /** One pair's scores, loss and the gradients that belong to it alone. */
    private void pair(int p, long packed, int[] pool, float[] unit, Batch b) {
        int u = (int) (packed >>> 32), t = (int) packed;
        int[] seq = graph.sequences[u];
        int target = seq[t];
        double[] q = new double[dim];
        for (int k = 0; k < Math.min(query.window(), t); k++) {
            addScaled(q, unit, seq[t - 1 - k], query.of(k) * graph.sequenceWeights[u][t - 1 - k]);
        }
        double qLen = Math.sqrt(dot(q, q));
        if (qLen == 0) {
            return;
        }
        float[] qh = b.queryUnit[p];
        for (int d = 0; d < dim; d++) {
            qh[d] = (float) (q[d] / qLen);
        }
        double scale = cfg.scoreScale;
        double[] s = new double[pool.length + 1];
        s[0] = scale * dot(qh, unit, target);
        double max = s[0];
        for (int c = 0; c < pool.length; c++) {
            s[c + 1] =
                    pool[c] == target ? Double.NEGATIVE_INFINITY : scale * dot(qh, unit, pool[c]);
            max = Math.max(max, s[c + 1]);
        }
        double z = 0;
        for (double x : s) {
            z += Math.exp(x - max);
        }
        b.loss[p] = max + Math.log(z) - s[0];
        float inv = 1f / b.size;
        double[] dqh = new double[dim];
        for (int c = 0; c <= pool.length; c++) {
            double ds = (Math.exp(s[c] - max) / z - (c == 0 ? 1 : 0)) * scale * inv;
            if (c > 0) {
                b.poolCoef[p][c - 1] = (float) ds;
            } else {
                b.targetCoef[p] = (float) ds;
            }
            if (ds != 0) {
                addScaled(dqh, unit, c == 0 ? target : pool[c - 1], ds);
            }
        }
        // Through q̂ = q / |q|: dq = (dq̂ − q̂ (q̂·dq̂)) / |q|.
        double along = 0;
        for (int d = 0; d < dim; d++) {
            along += qh[d] * dqh[d];
        }
        for (int d = 0; d < dim; d++) {
            b.dQuery[p][d] = (float) ((dqh[d] - qh[d] * along) / qLen);
        }
    }

    /** The pool items' gradients: Σ over pairs in pair order, parallel over items. */
    private void gatherPool(int[] pool, Batch b, float[] dUnit) {
        IntStream.range(0, pool.length)
                .parallel()
                .forEach(
                        c -> {
                            int row = pool[c] * dim;
                            for (int p = 0; p < b.size; p++) {
                                float coef = b.poolCoef[p][c];
                                if (coef != 0) {
                                    for (int d = 0; d < dim; d++) {
                                        dUnit[row + d] += coef * b.queryUnit[p][d];
                                    }
                                }
                            }
                        });
    }

    /** The targets' and the query items' gradients, serially in pair order. */
    private void gatherPairs(long[] batch, Batch b, float[] dUnit) {
        for (int p = 0; p < b.size; p++) {
            int u = (int) (batch[p] >>> 32), t = (int) batch[p];
            int[] seq = graph.sequences[u];
            int row = seq[t] * dim;
            for (int d = 0; d < dim; d++) {
                dUnit[row + d] += b.targetCoef[p] * b.queryUnit[p][d];
            }
            for (int k = 0; k < Math.min(query.window(), t); k++) {
                int r = seq[t - 1 - k] * dim;
                float w = (float) (query.of(k) * graph.sequenceWeights[u][t - 1 - k]);
                for (int d = 0; d < dim; d++) {
                    dUnit[r + d] += w * b.dQuery[p][d];
                }
            }
        }
    }

    /** Per batch, per pair: what the serial gathering needs from the parallel pass. */
    private static final class Batch {
        final int size;
        final float[][] queryUnit;
        final float[][] dQuery;
        final float[][] poolCoef;
        final float[] targetCoef;
        final double[] loss;

        Batch(int size, int pool, int dim) {
            this.size = size;
            queryUnit = new float[size][dim];
            dQuery = new float[size][dim];
            poolCoef = new float[size][pool];
            targetCoef = new float[size];
            loss = new double[size];
        }
    }

    /** The vectors as the job receives them: unit length, null for items without any. */
    float[][] vectors() {
        float[] f = model.forward();
        float[] len = new float[graph.itemCount()];
        float[] unit = unitRows(f, len);
        float[][] out = new float[graph.itemCount()][];
        for (int i = 0; i < out.length; i++) {
            if (model.hasVector(i) && len[i] > 0) {
                out[i] = Arrays.copyOfRange(unit, i * dim, (i + 1) * dim);
            }
        }
        return out;
    }

    private float[] unitRows(float[] f, float[] len) {
        float[] unit = new float[f.length];
        for (int i = 0; i < len.length; i++) {
            double s = 0;
            for (int d = 0; d < dim; d++) {
                s += (double) f[i * dim + d] * f[i * dim + d];
            }
            len[i] = (float) Math.sqrt(s);
            if (len[i] > 0) {
                for (int d = 0; d < dim; d++) {
                    unit[i * dim + d] = f[i * dim + d] / len[i];
                }
            }
        }
        return unit;
    }

    /** From the gradient of the unit rows to that of the raw rows: (g − û(û·g)) / |f|. */
    private float[] throughUnitLength(float[] dUnit, float[] unit, float[] len) {
        float[] df = new float[dUnit.length];
        for (int i = 0; i < len.length; i++) {
            if (len[i] == 0) {
                continue;
            }
            int o = i * dim;
            double along = 0;
            for (int d = 0; d < dim; d++) {
                along += unit[o + d] * dUnit[o + d];
            }
            for (int d = 0; d < dim; d++) {
                df[o + d] = (float) ((dUnit[o + d] - unit[o + d] * along) / len[i]);
            }
        }
        return df;
    }

    private void addScaled(double[] acc, float[] rows, int row, double w) {
        int o = row * dim;
        for (int d = 0; d < dim; d++) {
            acc[d] += w * rows[o + d];
        }
    }

    private double dot(float[] a, float[] rows, int row) {
        int o = row * dim;
        double s = 0;
        for (int d = 0; d < dim; d++) {
            s += (double) a[d] * rows[o + d];
        }
        return s;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int d = 0; d < a.length; d++) {
            s += a[d] * b[d];
        }
        return s;
    }
}
