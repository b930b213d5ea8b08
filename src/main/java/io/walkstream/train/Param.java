package io.walkstream.train;

import java.util.SplittableRandom;

/**
 * One trainable array. Dense parameters (weights, biases) get a gradient for every element each
 * batch; a table ({@code sparse}: one row per item, user or attribute) only for the rows a batch
 * touched, so optimisers update those rows alone.
 */
public final class Param {
    final int id;
    final String name;
    final float[] value;
    final int rows;
    final int cols;
    final boolean sparse;

    Param(int id, String name, int rows, int cols, boolean sparse) {
        this.id = id;
        this.name = name;
        this.rows = rows;
        this.cols = cols;
        this.sparse = sparse;
        this.value = new float[rows * cols];
    }

    /**
     * Uniform in ±scale: Glorot-style for weights (scale = sqrt(6 / (fanIn + fanOut))), small for
     * tables.
     */
    void init(SplittableRandom rnd, double scale) {
        for (int i = 0; i < value.length; i++) {
            value[i] = (float) ((rnd.nextDouble() * 2 - 1) * scale);
        }
    }

    public String name() {
        return name;
    }

    public int size() {
        return value.length;
    }
}
