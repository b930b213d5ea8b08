package io.walkstream.embed;

import io.walkstream.model.NodeIds;

/**
 * Fixed pseudo-random ±1 vectors, one per context node, derived from the node's key alone — no
 * table, no cross-key state. An item's built-in vector is the time-decayed weighted sum of its
 * contexts' vectors: a random projection of its row in the item–context matrix, so two items that
 * share users or attributes get a high cosine (Johnson–Lindenstrauss), and an item with only
 * attribute edges already has a vector.
 */
public final class RandomProjection {
    private RandomProjection() {}

    /**
     * v += w · r(context), where r's components are ±1 from the bits of a hash chain on the key.
     */
    public static void addTo(float[] v, long context, float w) {
        long bits = 0;
        long state = context;
        for (int i = 0; i < v.length; i++) {
            if ((i & 63) == 0) {
                state = NodeIds.mix(state + 0x632be59bd9b4e019L);
                bits = state;
            }
            v[i] += ((bits >>> (i & 63)) & 1L) == 0 ? w : -w;
        }
    }
}
