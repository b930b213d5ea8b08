package io.walkstream.embed;

/** Vector arithmetic on the compact forms the walk uses. */
public final class Vectors {
    private Vectors() {}

    /**
     * Scales a vector to signed bytes (largest component ±127). Only directions matter for cosine
     * similarity, and a byte per component keeps every Score→Rank message small; the error is under
     * 1% of the cosine.
     */
    public static byte[] quantize(float[] v) {
        if (v == null) {
            return null;
        }
        float max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        if (!(max > 0) || Float.isInfinite(max)) {
            return null;
        }
        byte[] q = new byte[v.length];
        float s = 127f / max;
        for (int i = 0; i < v.length; i++) {
            q[i] = (byte) Math.round(v[i] * s);
        }
        return q;
    }

    /** acc += w · q / |q| (adds a unit vector, so every seed counts by its weight alone). */
    public static void addUnit(double[] acc, byte[] q, double w) {
        double norm = norm(q);
        if (norm == 0) {
            return;
        }
        double s = w / norm;
        for (int i = 0; i < q.length; i++) {
            acc[i] += q[i] * s;
        }
    }

    public static double norm(byte[] q) {
        long ss = 0;
        for (byte b : q) {
            ss += b * b;
        }
        return Math.sqrt(ss);
    }

    /**
     * Cosine of a dense accumulator and a quantized vector; 0 when either is zero or sizes differ.
     */
    public static double cosine(double[] acc, byte[] q) {
        if (acc == null || q == null || acc.length != q.length) {
            return 0;
        }
        double dot = 0, na = 0;
        long nq = 0;
        for (int i = 0; i < q.length; i++) {
            dot += acc[i] * q[i];
            na += acc[i] * acc[i];
            nq += q[i] * q[i];
        }
        if (na == 0 || nq == 0) {
            return 0;
        }
        return dot / Math.sqrt(na * nq);
    }
}
