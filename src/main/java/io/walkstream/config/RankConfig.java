package io.walkstream.config;

import java.io.Serializable;
import java.util.List;

/** How walk visits become a ranked answer. */
public class RankConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * RP3β popularity penalty: score = visits / degree^β. 0 ranks by raw visits. 0.3: best for the
     * walk at 1,000 walkers on MovieLens 100K and 1M (docs/evaluation.md); a stronger penalty
     * amplifies the sampling noise on rarely reached items.
     */
    public double beta = 0.3;
    /** Share of the score that comes from embedding cosine similarity (0..1). */
    public double similarityBlend = 0.2;
    public int defaultK = 20;
    public int maxK = 500;
    public int maxCandidates = 1000;
    public int maxExcludes = 1000;
    /** Seeds named in an item's explanation. */
    public int reasonSeeds = 3;

    void validate(List<String> problems) {
        if (!(beta >= 0 && beta <= 2)) problems.add("rank.beta must be in [0, 2], got " + beta);
        if (!(similarityBlend >= 0 && similarityBlend <= 1)) {
            problems.add("rank.similarityBlend must be in [0, 1], got " + similarityBlend);
        }
        GraphConfig.positive(problems, "rank.defaultK", defaultK);
        GraphConfig.positive(problems, "rank.maxK", maxK);
        if (defaultK > maxK) problems.add("rank.defaultK (" + defaultK + ") exceeds rank.maxK (" + maxK + ")");
        GraphConfig.positive(problems, "rank.maxCandidates", maxCandidates);
        GraphConfig.positive(problems, "rank.maxExcludes", maxExcludes);
        if (reasonSeeds < 0) problems.add("rank.reasonSeeds must be >= 0, got " + reasonSeeds);
    }
}
