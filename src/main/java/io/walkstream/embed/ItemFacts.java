package io.walkstream.embed;

import io.walkstream.graph.Decay;
import java.util.Arrays;

/**
 * What the Score step knows about an item: its external id, popularity, first appearance, and its
 * vectors (built-in streaming sketch, and the offline model's when one was supplied).
 */
public class ItemFacts {
    public String id;

    /** Interactions ever seen (RP3β's degree). */
    public long degree;

    public long firstSeen = Long.MAX_VALUE;

    /** Built-in vector, decayed to {@link #vectorAt}. */
    public float[] vector;

    public long vectorAt;

    /** Vector supplied on item metadata; takes precedence over the built-in one. */
    public float[] supplied;

    /** Version of the model {@link #supplied} came from; null when the record named none. */
    public String suppliedModel;

    public String category;
    public String brand;

    /**
     * {@link #effectiveVector()} quantised for Rank, kept between reads. Transient: not part of the
     * state's format (Flink's POJO serializer skips it), so it lives only while the object does —
     * across reads on the heap backend, one read on RocksDB. Whoever changes a vector clears it.
     */
    public transient byte[] quantized;

    public ItemFacts() {}

    /** The effective vector quantised to signed bytes (null when there is none or it is zero). */
    public byte[] quantized() {
        if (quantized == null) {
            quantized = Vectors.quantize(effectiveVector());
        }
        return quantized;
    }

    /**
     * Adds context {@code ctx} with weight w at time ts to the built-in vector, keeping it decayed
     * to the latest time seen. An older edge is added with its own decay, so arrival order does not
     * matter.
     */
    public void addContext(long ctx, float w, long ts, long halfLifeMs, int dim) {
        if (vector == null) {
            vector = new float[dim];
            vectorAt = ts;
        }
        if (ts > vectorAt) {
            float f = (float) Decay.factor(ts, vectorAt, halfLifeMs);
            if (f < 1e-20f) {
                Arrays.fill(vector, 0f); // so old that it no longer counts; avoids denormals
            } else if (f < 1f) {
                for (int i = 0; i < vector.length; i++) {
                    vector[i] *= f;
                }
            }
            vectorAt = ts;
            RandomProjection.addTo(vector, ctx, w);
        } else {
            RandomProjection.addTo(
                    vector, ctx, (float) (w * Decay.factor(vectorAt, ts, halfLifeMs)));
        }
    }

    /** The vector walks compare against: supplied first, built-in otherwise. */
    public float[] effectiveVector() {
        return supplied != null ? supplied : vector;
    }
}
