package io.walkstream.train;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * LightGCN-style item vectors (He et al., 2020): a learned id vector per item and per user (plus
 * the mean of the item's attribute vectors), propagated over the user–item graph with the symmetric
 * normalisation 1/√(deg(i)·deg(u)) and no per-layer weights or non-linearities; an item's vector is
 * the mean of its layers 0…L. With L = 0 it is a plain item-embedding table.
 *
 * <p>Users take part only in the propagation: the job has no user vectors to serve, it aggregates
 * the user's items (see {@link QueryWeights}), and the trainer scores the same way.
 *
 * <p>Every pass is row-parallel (each output row is computed by one thread from fixed inputs), so
 * the result does not depend on the number of threads. Items without interactions (cold) have no id
 * vector: their vector is their attributes' mean, or none without attributes.
 */
final class LightGcn {
    private final TrainingGraph graph;
    private final int dim;
    private final int layers;
    private final int items;
    private final int nodes;
    private final Param ids;
    private final Param attrs;

    /** Symmetric normalised adjacency over nodes [items | users], in CSR form. */
    private final int[] rowStart;

    private final int[] col;
    private final float[] norm;

    LightGcn(TrainingGraph graph, int dim, int layers, long seed) {
        this.graph = graph;
        this.dim = dim;
        this.layers = layers;
        this.items = graph.itemCount();
        this.nodes = items + graph.userCount();
        SplittableRandom rnd = new SplittableRandom(seed);
        ids = new Param(0, "ids", nodes, dim, false);
        ids.init(rnd, 0.1);
        attrs = new Param(1, "attributes", Math.max(1, graph.attributeCount()), dim, false);
        attrs.init(rnd, 0.1);
        rowStart = new int[nodes + 1];
        for (int i = 0; i < items; i++) {
            rowStart[i + 1] = rowStart[i] + graph.itemUsers[i].length;
        }
        for (int u = 0; u < graph.userCount(); u++) {
            rowStart[items + u + 1] = rowStart[items + u] + graph.userItems[u].length;
        }
        col = new int[rowStart[nodes]];
        norm = new float[col.length];
        for (int i = 0; i < items; i++) {
            fillRow(i, graph.itemUsers[i], items);
        }
        for (int u = 0; u < graph.userCount(); u++) {
            fillRow(items + u, graph.userItems[u], 0);
        }
    }

    private void fillRow(int row, int[] nbrs, int offset) {
        int k = rowStart[row];
        for (int n : nbrs) {
            col[k] = offset + n;
            norm[k] = (float) (1 / Math.sqrt((double) degree(row) * degree(offset + n)));
            k++;
        }
    }

    private int degree(int node) {
        return node < items ? graph.itemUsers[node].length : graph.userItems[node - items].length;
    }

    List<Param> params() {
        return List.of(ids, attrs);
    }

    /** Whether the item has a vector: interactions or attributes. */
    boolean hasVector(int item) {
        return graph.degree[item] > 0 || graph.itemAttrs[item].length > 0;
    }

    /** The items' vectors (not unit length), row-major [item × dim]. */
    float[] forward() {
        float[] x = layer0();
        if (layers == 0) {
            return Arrays.copyOf(x, items * dim);
        }
        float[] sum = Arrays.copyOf(x, items * dim);
        for (int k = 0; k < layers; k++) {
            x = propagate(x);
            for (int j = 0; j < sum.length; j++) {
                sum[j] += x[j];
            }
        }
        float inv = 1f / (layers + 1);
        for (int j = 0; j < sum.length; j++) {
            sum[j] *= inv;
        }
        return sum;
    }

    /**
     * Adds the gradient of the parameters given the gradient {@code dItems} of {@link #forward()}'s
     * output (Horner's scheme over the layers: the adjacency is symmetric).
     */
    void backward(float[] dItems, Grads g) {
        float[] seed = new float[nodes * dim];
        float inv = layers == 0 ? 1f : 1f / (layers + 1);
        for (int j = 0; j < dItems.length; j++) {
            seed[j] = dItems[j] * inv;
        }
        float[] acc = seed;
        for (int k = 0; k < layers; k++) {
            acc = propagate(acc);
            for (int j = 0; j < seed.length; j++) {
                acc[j] += seed[j];
            }
        }
        float[] dIds = g.of(ids), dAttrs = g.of(attrs);
        for (int node = 0; node < nodes; node++) {
            boolean cold = node < items && graph.degree[node] == 0;
            if (!cold) {
                System.arraycopy(acc, node * dim, dIds, node * dim, dim);
            }
            if (node < items) {
                int[] a = graph.itemAttrs[node];
                for (int attr : a) {
                    for (int d = 0; d < dim; d++) {
                        dAttrs[attr * dim + d] += acc[node * dim + d] / a.length;
                    }
                }
            }
        }
    }

    /** Layer 0: id vectors (none for cold items) plus each item's mean attribute vector. */
    private float[] layer0() {
        float[] x = new float[nodes * dim];
        for (int node = 0; node < nodes; node++) {
            boolean cold = node < items && graph.degree[node] == 0;
            if (!cold) {
                System.arraycopy(ids.value, node * dim, x, node * dim, dim);
            }
            if (node < items) {
                int[] a = graph.itemAttrs[node];
                for (int attr : a) {
                    for (int d = 0; d < dim; d++) {
                        x[node * dim + d] += attrs.value[attr * dim + d] / a.length;
                    }
                }
            }
        }
        return x;
    }

    /** One propagation: y = Â·x, row-parallel. */
    private float[] propagate(float[] x) {
        float[] y = new float[nodes * dim];
        IntStream.range(0, nodes)
                .parallel()
                .forEach(
                        row -> {
                            int out = row * dim;
                            for (int k = rowStart[row]; k < rowStart[row + 1]; k++) {
                                int in = col[k] * dim;
                                float w = norm[k];
                                for (int d = 0; d < dim; d++) {
                                    y[out + d] += w * x[in + d];
                                }
                            }
                        });
        return y;
    }
}
