package io.walkstream.config;

import java.io.Serializable;
import java.util.List;

/** How walk visits become a ranked answer. */
public class RankConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    @Setting(
            "RP3β popularity penalty, in [0, 2]: score = visits / degree^β; 0 ranks by raw visits. 0.3 is best "
                    + "for the walk at 1,000 walkers on MovieLens 100K and 1M (see [evaluation](evaluation.md)); a stronger "
                    + "penalty amplifies the sampling noise on rarely reached items.")
    public double beta = 0.3;

    @Setting(
            "Share of the score that comes from the built-in embedding's cosine similarity, in [0, 1]. 0 by "
                    + "default: on the validation splits it cost the transitions-led walk HR@10 (see "
                    + "[evaluation](evaluation.md)); trained vectors have their own `suppliedSimilarityBlend`.")
    public double similarityBlend = 0;

    @Setting(
            "`similarityBlend` for a candidate whose vector is supplied (trained, e.g. by `walkstream train`) and "
                    + "compared with the user's supplied-vector profile, in [0, 1]; the walk and the transitions share "
                    + "the rest in their usual proportions. Trained vectors know more than the built-in random "
                    + "projections, so they get a larger share (chosen on a validation split, see "
                    + "[embeddings](embeddings.md)).")
    public double suppliedSimilarityBlend = 0.85;

    @Setting(
            "Share of the walk's score that comes from the transitions alone, in [0, 1]: the walker mass that "
                    + "arrived along transition edges (what users did next after the seeds: a recency-weighted, "
                    + "row-normalised Markov chain), relative to the best item's, not divided by degree^β. The walk's "
                    + "RP3β score keeps 1 − similarityBlend − transitionBlend (all of its share when no mass came along "
                    + "transitions). Needs `walk.transitionShare` > 0. "
                    + "Per strategy: a walk source's `transitionBlend`.")
    public double transitionBlend = 0.9;

    @Setting("Results per request when the request gives no `k`.")
    public int defaultK = 20;

    @Setting("Largest `k` a request may ask for.")
    public int maxK = 500;

    @Setting("Longest `candidates` list of a request.")
    public int maxCandidates = 1000;

    @Setting("Longest `exclude` list of a request.")
    public int maxExcludes = 1000;

    @Setting("Seed items named in a result's explanation.")
    public int reasonSeeds = 3;

    void validate(List<String> problems) {
        if (!(beta >= 0 && beta <= 2)) {
            problems.add("rank.beta must be in [0, 2], got " + beta);
        }
        if (!(similarityBlend >= 0 && similarityBlend <= 1)) {
            problems.add("rank.similarityBlend must be in [0, 1], got " + similarityBlend);
        }
        if (!(transitionBlend >= 0 && transitionBlend <= 1)) {
            problems.add("rank.transitionBlend must be in [0, 1], got " + transitionBlend);
        } else if (similarityBlend + transitionBlend > 1 + 1e-9) {
            problems.add(
                    "rank.similarityBlend + rank.transitionBlend must be at most 1, got "
                            + (similarityBlend + transitionBlend));
        }
        if (!(suppliedSimilarityBlend >= 0 && suppliedSimilarityBlend <= 1)) {
            problems.add(
                    "rank.suppliedSimilarityBlend must be in [0, 1], got "
                            + suppliedSimilarityBlend);
        }
        GraphConfig.positive(problems, "rank.defaultK", defaultK);
        GraphConfig.positive(problems, "rank.maxK", maxK);
        if (defaultK > maxK) {
            problems.add("rank.defaultK (" + defaultK + ") exceeds rank.maxK (" + maxK + ")");
        }
        GraphConfig.positive(problems, "rank.maxCandidates", maxCandidates);
        GraphConfig.positive(problems, "rank.maxExcludes", maxExcludes);
        if (reasonSeeds < 0) {
            problems.add("rank.reasonSeeds must be >= 0, got " + reasonSeeds);
        }
    }
}
