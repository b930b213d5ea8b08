package io.walkstream.eval;

import java.util.Arrays;

/**
 * A reusable score accumulator over item indices that remembers which items it touched, so that a
 * user's scores cost time in the items reached from the history, not in the catalogue. Untouched
 * items score 0. {@link #clear()} resets only the touched entries.
 */
final class SparseScores {
    private final double[] score;
    private final boolean[] touched;
    private final int[] list;
    private int size;

    SparseScores(int items) {
        score = new double[items];
        touched = new boolean[items];
        list = new int[items];
    }

    void add(int item, double x) {
        if (!touched[item]) {
            touched[item] = true;
            list[size++] = item;
        }
        score[item] += x;
    }

    void set(int item, double x) {
        if (!touched[item]) {
            touched[item] = true;
            list[size++] = item;
        }
        score[item] = x;
    }

    double get(int item) {
        return score[item];
    }

    boolean isTouched(int item) {
        return touched[item];
    }

    /** Number of touched items. */
    int size() {
        return size;
    }

    /** The t-th touched item, in the order first touched. */
    int item(int t) {
        return list[t];
    }

    int capacity() {
        return score.length;
    }

    void clear() {
        for (int t = 0; t < size; t++) {
            score[list[t]] = 0;
            touched[list[t]] = false;
        }
        size = 0;
    }

    /** Every item's score as a new dense array (untouched items 0). */
    double[] toDense() {
        return Arrays.copyOf(score, score.length);
    }
}
