package io.walkstream.model;

/**
 * A compiled strategy (one variant of it), small and Flink-serialisable (arrays, no collections),
 * carried by a request from strategy resolution to Seed and, in the request context, to Rank.
 */
public class Plan {
    public static final byte SORT_DESC = 0;
    public static final byte SORT_ASC = 1;

    public String strategy;
    public int version;

    /** Experiment arm, or null. */
    public String variant;

    // sources: a weight of 0 switches a source off
    public double walkWeight;
    public double followsWeight;
    public double trendingWeight;
    public double embeddingWeight;

    /** Weight of the "transitions" source (items users acted on next after the seeds). */
    public double transitionsWeight;

    /**
     * The walk's share of walkers that follow transition edges (-1: the job's {@code
     * walk.transitionShare}).
     */
    public double transitionShare = -1;

    /** Embedding neighbours taken per seed item. */
    public int embeddingPerSeed;

    public int walkers;
    public int maxSeeds;
    public double beta;
    public double similarityBlend;

    /** {@link #similarityBlend} for candidates with supplied (trained) vectors. */
    public double suppliedSimilarityBlend;

    /**
     * Share of the walk's score from the mass that came along transition edges ({@code
     * rank.transitionBlend}).
     */
    public double transitionBlend;

    /** Edge-weight overrides for the walk; null / -1 = the job's graph settings. */
    public float[] actionWeights;

    public long halfLifeMs = -1;

    /** Categories to take trending items from; null = the categories of the user's seed items. */
    public String[] trendingCategories;

    public int trendingPerCategory;

    // filters
    public boolean excludeInteracted;
    public boolean excludeDisliked;
    public long servedWithinMs;
    public long[] includeCategories;
    public long[] excludeCategories;
    public long[] includeBrands;
    public long[] excludeBrands;
    public double minScore;
    public long maxItemAgeMs;

    // combiner
    public double randomness;
    public int maxPerCategory;
    public byte sort;

    public Plan() {}

    public String label() {
        return strategy + " v" + version + (variant != null ? " (" + variant + ")" : "");
    }
}
