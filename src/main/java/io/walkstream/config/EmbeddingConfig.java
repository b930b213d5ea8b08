package io.walkstream.config;

import java.io.Serializable;
import java.util.List;

/** Built-in streaming item vectors and the limits on supplied ones. */
public class EmbeddingConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    @Setting("Dimension of the built-in random-projection vectors, in [4, 1024].")
    public int dim = 32;

    @Setting("Largest vector an item-metadata record may supply; larger ones are dead-lettered.")
    public int maxSuppliedDim = 1024;

    @Setting(
            "Dimension every supplied vector must have, e.g. the trained model's `outDim`; others are "
                    + "dead-lettered. 0: any up to `maxSuppliedDim`.")
    public int suppliedDim = 0;

    @Setting(
            "SimHash bits of the embedding-neighbour buckets (2^bits buckets per vector space), in [1, 24].")
    public int lshBits = 10;

    void validate(List<String> problems) {
        if (dim < 4 || dim > 1024) {
            problems.add("embedding.dim must be in [4, 1024], got " + dim);
        }
        GraphConfig.positive(problems, "embedding.maxSuppliedDim", maxSuppliedDim);
        if (suppliedDim < 0 || suppliedDim > maxSuppliedDim) {
            problems.add(
                    "embedding.suppliedDim must be in [0, embedding.maxSuppliedDim], got "
                            + suppliedDim);
        }
        if (lshBits < 1 || lshBits > 24) {
            problems.add("embedding.lshBits must be in [1, 24], got " + lshBits);
        }
    }
}
