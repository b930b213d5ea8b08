package io.walkstream.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The item encoder: GraphSAGE layers over the item–user graph, an MLP on top, unit length out.
 *
 * <p>Layer-0 features: an item is its learned id vector plus the mean of its attribute vectors
 * (category, brand, tags, genres); a user (a context) is its learned id vector. Layer k combines a
 * node's layer-(k−1) vector with the mean layer-(k−1) vector of its sampled neighbours. An item
 * encoded "cold" has no id vector and no neighbours: attributes alone, as for a new item.
 *
 * <p>Parameters are read-only during forward and backward passes, so many threads encode at once;
 * each pass writes only into its own {@link Encoding} and {@link Grads}.
 */
public final class SageModel {
    final TrainConfig cfg;
    final TrainingGraph graph;
    final int layers;
    final int[] dims; // dims[0] = input, dims[k] = sageDim
    final Param itemIds;
    final Param userIds;
    final Param attrs;
    final SageLayer[] sage;
    final Dense[] mlp; // hidden layers, then the linear output layer
    private final List<Param> params = new ArrayList<>();

    public SageModel(TrainConfig cfg, TrainingGraph graph) {
        this.cfg = cfg;
        this.graph = graph;
        this.layers = cfg.layers();
        SplittableRandom rnd = new SplittableRandom(cfg.seed);
        double tableScale = 0.1;
        itemIds = table("itemIds", graph.itemCount(), cfg.inputDim, rnd, tableScale);
        userIds = table("userIds", graph.userCount(), cfg.inputDim, rnd, tableScale);
        attrs =
                table(
                        "attributes",
                        Math.max(1, graph.attributeCount()),
                        cfg.inputDim,
                        rnd,
                        tableScale);
        dims = new int[layers + 1];
        dims[0] = cfg.inputDim;
        sage = new SageLayer[layers];
        Activation sageAct = Activation.parse(cfg.sageActivation);
        for (int k = 0; k < layers; k++) {
            dims[k + 1] = cfg.sageDim;
            double s = Math.sqrt(6.0 / (2 * dims[k] + dims[k + 1]));
            sage[k] =
                    new SageLayer(
                            weight("sage" + k + ".self", dims[k + 1], dims[k], rnd, s),
                            weight("sage" + k + ".neigh", dims[k + 1], dims[k], rnd, s),
                            bias("sage" + k + ".b", dims[k + 1]),
                            sageAct);
        }
        mlp = new Dense[cfg.hidden.size() + 1];
        int in = cfg.sageDim;
        for (int h = 0; h <= cfg.hidden.size(); h++) {
            int out = h < cfg.hidden.size() ? cfg.hidden.get(h) : cfg.outDim;
            Activation act =
                    h < cfg.hidden.size()
                            ? Activation.parse(cfg.activations.get(h))
                            : Activation.LINEAR;
            mlp[h] =
                    new Dense(
                            weight("mlp" + h + ".w", out, in, rnd, Math.sqrt(6.0 / (in + out))),
                            bias("mlp" + h + ".b", out),
                            act);
            in = out;
        }
    }

    private Param table(String name, int rows, int cols, SplittableRandom rnd, double scale) {
        Param p = new Param(params.size(), name, rows, cols, true);
        p.init(rnd, scale);
        params.add(p);
        return p;
    }

    private Param weight(String name, int rows, int cols, SplittableRandom rnd, double scale) {
        Param p = new Param(params.size(), name, rows, cols, false);
        p.init(rnd, scale);
        params.add(p);
        return p;
    }

    private Param bias(String name, int n) {
        Param p = new Param(params.size(), name, 1, n, false);
        params.add(p);
        return p;
    }

    public List<Param> params() {
        return params;
    }

    /**
     * One node of a computation tree: which node, its sampled neighbours, and what the passes
     * computed.
     */
    static final class TreeNode {
        final boolean item;
        final int index;
        final int depth;
        final boolean cold;
        final TreeNode[] children;
        float[][] h;
        float[][] pre;
        float[][] mean;
        float[][] dh;

        TreeNode(boolean item, int index, int depth, boolean cold, TreeNode[] children) {
            this.item = item;
            this.index = index;
            this.depth = depth;
            this.cold = cold;
            this.children = children;
        }
    }

    /**
     * One item's forward pass (tree, MLP activations, output) and, after backward, nothing else to
     * keep.
     */
    static final class Encoding {
        final TreeNode root;
        float[][] mlpIn;
        float[][] mlpPre;
        float[] z;
        float norm;
        float[] out;
        float[] dOut;

        Encoding(TreeNode root) {
            this.root = root;
        }
    }

    /**
     * Samples the computation tree of an item: fan-out[0] users, then fan-out[1] items for each, …
     * {@code excludeUser} is never sampled as the item's own neighbour (-1: none).
     */
    Encoding sample(int item, boolean cold, int excludeUser, SplittableRandom rnd) {
        return new Encoding(node(true, item, 0, cold, excludeUser, rnd));
    }

    private TreeNode node(
            boolean item, int index, int depth, boolean cold, int exclude, SplittableRandom rnd) {
        if (depth == layers || cold) {
            return new TreeNode(item, index, depth, cold, new TreeNode[0]);
        }
        int[] nbrs =
                item
                        ? DecayedSampler.sample(
                                graph.itemUsers[index],
                                graph.itemUserCum[index],
                                cfg.fanouts.get(depth),
                                exclude,
                                rnd)
                        : DecayedSampler.sample(
                                graph.userItems[index],
                                graph.userItemCum[index],
                                cfg.fanouts.get(depth),
                                -1,
                                rnd);
        TreeNode[] children = new TreeNode[nbrs.length];
        for (int c = 0; c < nbrs.length; c++) {
            children[c] = node(!item, nbrs[c], depth + 1, false, -1, rnd);
        }
        return new TreeNode(item, index, depth, false, children);
    }

    /** Layer-0 features of a node. */
    float[] input(boolean item, int index, boolean cold) {
        int d = cfg.inputDim;
        float[] x = new float[d];
        if (!item) {
            System.arraycopy(userIds.value, index * d, x, 0, d);
            return x;
        }
        if (!cold) {
            System.arraycopy(itemIds.value, index * d, x, 0, d);
        }
        int[] a = graph.itemAttrs[index];
        if (a.length > 0) {
            float f = 1f / a.length;
            for (int attr : a) {
                for (int i = 0; i < d; i++) {
                    x[i] += f * attrs.value[attr * d + i];
                }
            }
        }
        return x;
    }

    void forward(Encoding e) {
        forwardTree(e.root);
        float[] x = e.root.h[layers];
        e.mlpIn = new float[mlp.length][];
        e.mlpPre = new float[mlp.length][];
        for (int l = 0; l < mlp.length; l++) {
            e.mlpIn[l] = x;
            e.mlpPre[l] = new float[mlp[l].out];
            x = mlp[l].forward(x, e.mlpPre[l]);
        }
        e.z = x;
        e.norm = Normalize.norm(x);
        e.out = Normalize.forward(x, e.norm);
    }

    private void forwardTree(TreeNode n) {
        int levels = layers - n.depth;
        n.h = new float[levels + 1][];
        n.pre = new float[levels + 1][];
        n.mean = new float[levels + 1][];
        n.h[0] = input(n.item, n.index, n.cold);
        for (TreeNode c : n.children) {
            forwardTree(c);
        }
        for (int k = 1; k <= levels; k++) {
            float[] mean = new float[dims[k - 1]];
            if (n.children.length > 0) {
                float f = 1f / n.children.length;
                for (TreeNode c : n.children) {
                    float[] ch = c.h[k - 1];
                    for (int i = 0; i < mean.length; i++) {
                        mean[i] += f * ch[i];
                    }
                }
            }
            n.mean[k] = mean;
            n.pre[k] = new float[dims[k]];
            n.h[k] = sage[k - 1].forward(n.h[k - 1], mean, n.pre[k]);
        }
    }

    /** Backpropagates {@code e.dOut} (dL/d output) into {@code g}. */
    void backward(Encoding e, Grads g) {
        float[] d = Normalize.backward(e.out, e.norm, e.dOut);
        for (int l = mlp.length - 1; l >= 0; l--) {
            float[] y = l == mlp.length - 1 ? e.z : e.mlpIn[l + 1];
            d = mlp[l].backward(e.mlpIn[l], e.mlpPre[l], y, d, g);
        }
        allocateGrads(e.root);
        float[] top = e.root.dh[layers];
        for (int i = 0; i < d.length; i++) {
            top[i] += d[i];
        }
        backwardTree(e.root, g);
    }

    private void allocateGrads(TreeNode n) {
        n.dh = new float[n.h.length][];
        for (int k = 0; k < n.h.length; k++) {
            n.dh[k] = new float[n.h[k].length];
        }
        for (TreeNode c : n.children) {
            allocateGrads(c);
        }
    }

    private void backwardTree(TreeNode n, Grads g) {
        for (int k = layers - n.depth; k >= 1; k--) {
            float[] dMean = new float[dims[k - 1]];
            sage[k - 1].backward(
                    n.h[k - 1], n.mean[k], n.pre[k], n.h[k], n.dh[k], g, n.dh[k - 1], dMean);
            if (n.children.length > 0) {
                float f = 1f / n.children.length;
                for (TreeNode c : n.children) {
                    float[] dc = c.dh[k - 1];
                    for (int i = 0; i < dMean.length; i++) {
                        dc[i] += f * dMean[i];
                    }
                }
            }
        }
        inputBackward(n.item, n.index, n.cold, n.dh[0], g);
        for (TreeNode c : n.children) {
            backwardTree(c, g);
        }
    }

    private void inputBackward(boolean item, int index, boolean cold, float[] dx, Grads g) {
        if (!item) {
            add(g.row(userIds, index), dx, 1f);
            return;
        }
        if (!cold) {
            add(g.row(itemIds, index), dx, 1f);
        }
        int[] a = graph.itemAttrs[index];
        for (int attr : a) {
            add(g.row(attrs, attr), dx, 1f / a.length);
        }
    }

    private static void add(float[] dst, float[] src, float f) {
        for (int i = 0; i < src.length; i++) {
            dst[i] += f * src[i];
        }
    }

    /**
     * Every item's unit vector, computed layer by layer over the whole graph with exact weighted
     * neighbour means (the expectation of what training sampled). Items without interactions are
     * encoded from their attributes alone; an item with neither gets null.
     */
    float[][] inferAll() {
        int ni = graph.itemCount(), nu = graph.userCount();
        float[][] hi = new float[ni][], hu = new float[nu][];
        for (int i = 0; i < ni; i++) {
            hi[i] = input(true, i, graph.degree[i] == 0);
        }
        for (int u = 0; u < nu; u++) {
            hu[u] = input(false, u, false);
        }
        for (int k = 1; k <= layers; k++) {
            float[][] nextI = new float[ni][], nextU = new float[nu][];
            for (int i = 0; i < ni; i++) {
                nextI[i] =
                        sage[k - 1].forward(
                                hi[i],
                                weightedMean(
                                        graph.itemUsers[i], graph.itemUserCum[i], hu, dims[k - 1]),
                                new float[dims[k]]);
            }
            for (int u = 0; u < nu; u++) {
                nextU[u] =
                        sage[k - 1].forward(
                                hu[u],
                                weightedMean(
                                        graph.userItems[u], graph.userItemCum[u], hi, dims[k - 1]),
                                new float[dims[k]]);
            }
            hi = nextI;
            hu = nextU;
        }
        float[][] out = new float[ni][];
        for (int i = 0; i < ni; i++) {
            if (graph.degree[i] == 0 && graph.itemAttrs[i].length == 0) {
                continue;
            }
            float[] x = hi[i];
            for (Dense l : mlp) {
                x = l.forward(x, new float[l.out]);
            }
            out[i] = Normalize.forward(x, Normalize.norm(x));
        }
        return out;
    }

    private static float[] weightedMean(int[] nbrs, double[] cum, float[][] h, int dim) {
        float[] m = new float[dim];
        if (nbrs.length == 0) {
            return m;
        }
        double total = cum[cum.length - 1], prev = 0;
        double[] acc = new double[dim];
        for (int j = 0; j < nbrs.length; j++) {
            double w = (cum[j] - prev) / total;
            prev = cum[j];
            float[] x = h[nbrs[j]];
            for (int i = 0; i < dim; i++) {
                acc[i] += w * x[i];
            }
        }
        for (int i = 0; i < dim; i++) {
            m[i] = (float) acc[i];
        }
        return m;
    }
}
