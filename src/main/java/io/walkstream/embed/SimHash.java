package io.walkstream.embed;

import io.walkstream.model.NodeIds;

/**
 * Locality-sensitive buckets for vectors (SimHash): bit b of the signature is the sign of the
 * vector's dot product with a fixed pseudo-random ±1 hyperplane. Vectors at a small angle share
 * most bits, so items in the same bucket are embedding neighbours; scaling a vector never changes
 * its bucket. Buckets are context nodes of the graph ("embedding:…"), which is how the walk
 * dataflow reaches neighbours without an index outside Flink state.
 */
public final class SimHash {
    private SimHash() {}

    public static int signature(float[] v, int bits) {
        int sig = 0;
        for (int b = 0; b < bits; b++) {
            long state = 0x9e3779b97f4a7c15L * (b + 1);
            long r = 0;
            double dot = 0;
            for (int i = 0; i < v.length; i++) {
                if ((i & 63) == 0) {
                    state = NodeIds.mix(state + 0x2545f4914f6cdd1dL);
                    r = state;
                }
                dot += ((r >>> (i & 63)) & 1L) == 0 ? v[i] : -v[i];
            }
            if (dot >= 0) {
                sig |= 1 << b;
            }
        }
        return sig;
    }

    /**
     * The bucket's context key; supplied and built-in vectors (and dimensions) never share buckets.
     */
    public static long bucket(float[] v, boolean supplied, int bits) {
        return NodeIds.hash(
                "embedding:"
                        + (supplied ? "s" + v.length : "b" + v.length)
                        + ":"
                        + signature(v, bits));
    }
}
