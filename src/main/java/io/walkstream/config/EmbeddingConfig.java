package io.walkstream.config;

import java.io.Serializable;
import java.util.List;

/** Built-in streaming item vectors and the limits on supplied ones. */
public class EmbeddingConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Dimension of the built-in random-projection vectors. */
    public int dim = 32;
    /** Largest vector an item-metadata record may supply. */
    public int maxSuppliedDim = 1024;
    /**
     * Dimension every supplied vector must have (0: any up to {@link #maxSuppliedDim}). Set it to the
     * trained model's dimension: a record of another dimension then goes to dead letters.
     */
    public int suppliedDim = 0;
    /** SimHash bits of the embedding-neighbour buckets (2^bits buckets per vector space). */
    public int lshBits = 10;

    void validate(List<String> problems) {
        if (dim < 4 || dim > 1024) problems.add("embedding.dim must be in [4, 1024], got " + dim);
        GraphConfig.positive(problems, "embedding.maxSuppliedDim", maxSuppliedDim);
        if (suppliedDim < 0 || suppliedDim > maxSuppliedDim) {
            problems.add("embedding.suppliedDim must be in [0, embedding.maxSuppliedDim], got " + suppliedDim);
        }
        if (lshBits < 1 || lshBits > 24) problems.add("embedding.lshBits must be in [1, 24], got " + lshBits);
    }
}
