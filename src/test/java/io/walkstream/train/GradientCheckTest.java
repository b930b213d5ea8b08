package io.walkstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every analytic gradient against central finite differences: each layer, the normalisation, the
 * BPR loss, and the whole encoder (tables, GraphSAGE tree, MLP) end to end.
 */
class GradientCheckTest {
    static final double EPS = 1e-3;

    /**
     * The whole encoder chains many float roundings: a larger step keeps their noise below the
     * tolerance.
     */
    static final double DEEP_EPS = 3e-3;

    /**
     * Relative error with an absolute floor: float forward passes carry about 1e-4 of noise at this
     * step size.
     */
    static void close(double analytic, double numeric, String what) {
        double err =
                Math.abs(analytic - numeric)
                        / Math.max(1e-2, Math.abs(analytic) + Math.abs(numeric));
        assertThat(err).as("%s: analytic %s, numeric %s", what, analytic, numeric).isLessThan(2e-2);
    }

    /** Checks d loss / d a[i] for every i against (loss(a[i]+ε) − loss(a[i]−ε)) / 2ε. */
    static void check(float[] a, float[] grad, DoubleSupplier loss, String what) {
        check(a, grad, loss, what, EPS);
    }

    static void check(float[] a, float[] grad, DoubleSupplier loss, String what, double eps) {
        for (int i = 0; i < a.length; i++) {
            float keep = a[i];
            a[i] = (float) (keep + eps);
            double up = loss.getAsDouble();
            a[i] = (float) (keep - eps);
            double down = loss.getAsDouble();
            a[i] = keep;
            close(grad[i], (up - down) / (2 * eps), what + "[" + i + "]");
        }
    }

    static float[] random(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return x;
    }

    static double weighted(float[] y, float[] c) {
        double s = 0;
        for (int i = 0; i < y.length; i++) {
            s += (double) c[i] * y[i];
        }
        return s;
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void denseLayer(Activation act) {
        SplittableRandom r = new SplittableRandom(1);
        Param w = new Param(0, "w", 4, 5, false), b = new Param(1, "b", 1, 4, false);
        w.init(r, 0.8);
        b.init(r, 0.3);
        Dense layer = new Dense(w, b, act);
        float[] x = random(r, 5), c = random(r, 4);
        DoubleSupplier loss = () -> weighted(layer.forward(x, new float[4]), c);
        Grads g = new Grads(List.of(w, b));
        float[] pre = new float[4];
        float[] y = layer.forward(x, pre);
        float[] dx = layer.backward(x, pre, y, c, g);
        check(w.value, g.of(w), loss, act + " dW");
        check(b.value, g.of(b), loss, act + " db");
        check(x, dx, loss, act + " dx");
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void sageLayer(Activation act) {
        SplittableRandom r = new SplittableRandom(2);
        Param ws = new Param(0, "self", 3, 4, false),
                wn = new Param(1, "neigh", 3, 4, false),
                b = new Param(2, "b", 1, 3, false);
        ws.init(r, 0.8);
        wn.init(r, 0.8);
        b.init(r, 0.3);
        SageLayer layer = new SageLayer(ws, wn, b, act);
        float[] self = random(r, 4), neigh = random(r, 4), c = random(r, 3);
        DoubleSupplier loss = () -> weighted(layer.forward(self, neigh, new float[3]), c);
        Grads g = new Grads(List.of(ws, wn, b));
        float[] pre = new float[3];
        float[] y = layer.forward(self, neigh, pre);
        float[] dSelf = new float[4], dNeigh = new float[4];
        layer.backward(self, neigh, pre, y, c, g, dSelf, dNeigh);
        check(ws.value, g.of(ws), loss, act + " dW_self");
        check(wn.value, g.of(wn), loss, act + " dW_neigh");
        check(b.value, g.of(b), loss, act + " db");
        check(self, dSelf, loss, act + " dself");
        check(neigh, dNeigh, loss, act + " dneigh");
    }

    @Test
    void normalisation() {
        SplittableRandom r = new SplittableRandom(3);
        float[] x = random(r, 6), c = random(r, 6);
        DoubleSupplier loss = () -> weighted(Normalize.forward(x, Normalize.norm(x)), c);
        float n = Normalize.norm(x);
        check(x, Normalize.backward(Normalize.forward(x, n), n, c), loss, "normalize dx");
    }

    @Test
    void bprLoss() {
        double[] s = {
            0.7, 1.2, -0.4, 0.69, 2.5
        }; // s[0] positive, the rest negatives (one nearly tied)
        double[] dPos = new double[1], dNeg = new double[4];
        BprLoss.loss(s[0], Arrays.copyOfRange(s, 1, 5), dPos, dNeg);
        double[] analytic = {dPos[0], dNeg[0], dNeg[1], dNeg[2], dNeg[3]};
        for (int i = 0; i < s.length; i++) {
            double keep = s[i];
            s[i] = keep + 1e-5;
            double up =
                    BprLoss.loss(s[0], Arrays.copyOfRange(s, 1, 5), new double[1], new double[4]);
            s[i] = keep - 1e-5;
            double down =
                    BprLoss.loss(s[0], Arrays.copyOfRange(s, 1, 5), new double[1], new double[4]);
            s[i] = keep;
            assertThat(analytic[i])
                    .as("dL/ds[%d]", i)
                    .isCloseTo((up - down) / 2e-5, Offset.offset(1e-6));
        }
        // A large margin costs almost nothing, a large violation about its size.
        assertThat(BprLoss.loss(30, new double[] {0}, dPos, dNeg)).isLessThan(1e-12);
        assertThat(BprLoss.loss(0, new double[] {40}, dPos, dNeg))
                .isCloseTo(40, Offset.offset(1e-9));
    }

    /** A small graph with attributes, so every table, the tree and the MLP carry gradient. */
    static TrainingGraph smallGraph() {
        List<Event> e = new ArrayList<>();
        long t = 1_000_000_000_000L;
        String[][] bought = {{"a", "b", "c"}, {"b", "c", "d"}, {"a", "d"}, {"c", "d", "e"}};
        for (int u = 0; u < bought.length; u++) {
            for (String item : bought[u]) {
                e.add(Event.interaction("u" + u, item, Action.PURCHASE, t += 86_400_000L));
            }
        }
        e.add(Event.item("a", "x", "acme", new String[] {"red"}, null, t));
        e.add(Event.item("e", "y", null, null, null, t));
        return new TrainingGraph(e, Map.of("cold", List.of("category:x", "tag:red")), 30);
    }

    @ParameterizedTest
    @EnumSource(
            value = Activation.class,
            names = {"TANH", "LEAKY_RELU"})
    void wholeEncoderEndToEnd(Activation act) {
        TrainConfig cfg = new TrainConfig();
        cfg.inputDim = 4;
        cfg.sageDim = 5;
        cfg.hidden = List.of(6);
        cfg.activations = List.of(act.wireName());
        cfg.sageActivation = act.wireName();
        cfg.outDim = 3;
        cfg.fanouts = List.of(3, 2);
        TrainingGraph graph = smallGraph();
        SageModel m = new SageModel(cfg, graph);
        // Away from the model's small initial scale (zero biases), so the output norm is well
        // conditioned for finite differences.
        SplittableRandom init = new SplittableRandom(6);
        for (Param p : m.params()) {
            p.init(init, 0.4);
        }
        float[] c = random(new SplittableRandom(4), 3);
        for (String item : List.of("a", "cold")) {
            int idx = graph.itemIndex.get(item);
            boolean cold = item.equals("cold");
            SageModel.Encoding e = m.sample(idx, cold, -1, new SplittableRandom(5));
            DoubleSupplier loss =
                    () -> {
                        SageModel.Encoding again =
                                m.sample(idx, cold, -1, new SplittableRandom(5)); // same tree
                        m.forward(again);
                        return weighted(again.out, c);
                    };
            m.forward(e);
            e.dOut = c.clone();
            Grads g = new Grads(m.params());
            m.backward(e, g);
            for (Param p : m.params()) {
                if (p.sparse) {
                    for (int row : g.touched(p)) {
                        float[] slice = new float[p.cols];
                        float[] grad = g.rowOrNull(p, row);
                        for (int i = 0; i < p.cols; i++) {
                            float keep = p.value[row * p.cols + i];
                            p.value[row * p.cols + i] = (float) (keep + DEEP_EPS);
                            double up = loss.getAsDouble();
                            p.value[row * p.cols + i] = (float) (keep - DEEP_EPS);
                            double down = loss.getAsDouble();
                            p.value[row * p.cols + i] = keep;
                            slice[i] = (float) ((up - down) / (2 * DEEP_EPS));
                            close(
                                    grad[i],
                                    slice[i],
                                    item + " " + p.name + "[" + row + "][" + i + "]");
                        }
                    }
                } else {
                    check(p.value, g.of(p), loss, item + " " + p.name, DEEP_EPS);
                }
            }
            if (cold) {
                assertThat(g.touched(m.itemIds)).as("a cold item has no id vector").isEmpty();
            } else {
                assertThat(g.touched(m.userIds))
                        .as("gradient reaches the sampled users")
                        .isNotEmpty();
            }
            assertThat(g.touched(m.attrs)).isNotEmpty();
        }
    }

    /** LightGCN's propagation: the gradient of a weighted sum of every item's output. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {0, 1, 2})
    void lightGcnPropagation(int layers) {
        TrainingGraph graph = smallGraph();
        LightGcn m = new LightGcn(graph, 3, layers, 5);
        float[] c = random(new SplittableRandom(4), graph.itemCount() * 3);
        Grads g = new Grads(m.params());
        m.backward(c, g);
        for (Param p : m.params()) {
            check(p.value, g.of(p), () -> weighted(m.forward(), c), "lightgcn " + p.name());
        }
    }

    /**
     * A whole LightGCN training step: the recency-weighted query, unit lengths, the sampled softmax
     * and the propagation, against finite differences of the batch loss.
     */
    @Test
    void lightGcnTrainingStep() {
        TrainConfig cfg = new TrainConfig();
        cfg.outDim = 3;
        cfg.propagationLayers = 1;
        cfg.scoreScale = 2;
        cfg.window = 2;
        TrainingGraph graph = smallGraph();
        LightGcnTrainer t = new LightGcnTrainer(cfg, graph, HoldOut.none(), line -> {});
        long[] batch = Trainer.pairs(graph);
        int[] pool = {graph.itemIndex.get("a"), graph.itemIndex.get("d"), graph.itemIndex.get("e")};
        Grads g = new Grads(t.model().params());
        t.step(batch, pool, g);
        for (Param p : t.model().params()) {
            check(
                    p.value,
                    g.of(p),
                    () -> t.step(batch, pool, new Grads(t.model().params())),
                    "training step " + p.name(),
                    DEEP_EPS);
        }
    }
}
