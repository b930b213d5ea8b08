package io.walkstream.rank;

import io.walkstream.embed.Vectors;

/**
 * The user (or query item) vector: the weighted mean of the seeds' unit vectors, kept per space —
 * supplied vectors and built-in ones are not comparable, so each candidate is compared with the
 * seeds of its own space.
 */
final class UserVector {
    double[] builtin;
    double[] supplied;

    /** A negative weight (a dislike) pulls the vector away from {@code v}. */
    void add(byte[] v, boolean isSupplied, double w) {
        if (v == null || w == 0 || Double.isNaN(w)) {
            return;
        }
        if (isSupplied) {
            if (supplied == null) {
                supplied = new double[v.length];
            }
            if (supplied.length == v.length) {
                Vectors.addUnit(supplied, v, w);
            }
        } else {
            if (builtin == null) {
                builtin = new double[v.length];
            }
            if (builtin.length == v.length) {
                Vectors.addUnit(builtin, v, w);
            }
        }
    }

    double cosine(byte[] v, boolean isSupplied) {
        return v == null ? 0 : Vectors.cosine(isSupplied ? supplied : builtin, v);
    }
}
