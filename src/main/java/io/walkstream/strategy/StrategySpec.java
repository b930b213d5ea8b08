package io.walkstream.strategy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.walkstream.model.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A channel's recipe as written in YAML or JSON (job-configs/strategies/, or the strategies topic):
 * which recall sources run and how much each counts, which filters apply, how the combiner merges
 * them, what to fall back to for users without history, and optional experiment variants. {@link
 * StrategyCompiler} validates it and turns it into the compact {@link Plan} a request carries.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StrategySpec {
    public String name;
    public int version = 1;
    public String description;
    public List<Source> sources = new ArrayList<>();
    public Filters filters = new Filters();
    public Combiner combiner = new Combiner();

    /** Strategies to use, in order, when the user has no history (the first that exists). */
    public List<String> fallback = new ArrayList<>();

    public List<Variant> variants = new ArrayList<>();

    /** One recall source. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Source {
        /** walk | follows | trending | embedding | transitions */
        public String type;

        /** Share of the result slots this source gets in the interleaving. */
        public Double weight = 1.0;

        // walk
        public Integer walkers;
        public Integer maxSeeds;
        public Double beta;
        public Double similarityBlend;

        /**
         * Walk: the similarity share for candidates with trained vectors
         * (rank.suppliedSimilarityBlend).
         */
        public Double suppliedSimilarityBlend;

        public Long halfLifeMs;
        public Map<String, Float> actionWeights;

        /**
         * Share of the walkers on a seed item that follow its transition edges
         * (walk.transitionShare).
         */
        public Double transitionShare;

        /**
         * Share of the walk's score from the mass that came along transition edges
         * (rank.transitionBlend).
         */
        public Double transitionBlend;

        // trending
        /**
         * Categories to take trending items from; empty = the categories of the user's recent
         * items.
         */
        public List<String> categories;

        /** Trending items taken per category. */
        public Integer perCategory;

        // embedding
        /** Embedding neighbours taken per seed item (items sharing its vector bucket). */
        public Integer perSeed;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Filters {
        public Boolean excludeInteracted = true;
        public Boolean excludeDisliked = true;

        /**
         * Items shown to the user (impressions) within this window are not shown again; 0 = off.
         */
        public Long servedWithinMs = 0L;

        public List<String> includeCategories;
        public List<String> excludeCategories;
        public List<String> includeBrands;
        public List<String> excludeBrands;
        public Double minScore = 0.0;

        /** Items first seen longer ago than this are dropped; 0 = off. */
        public Long maxItemAgeMs = 0L;
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Combiner {
        /**
         * 0: sources interleave in a fixed weighted order; 1: each slot's source is drawn at random
         * by weight.
         */
        public Double randomness = 0.0;

        /** At most this many items of one category in an answer; 0 = no cap. */
        public Integer maxPerCategory = 0;

        /**
         * desc: best first within each source; asc: weakest first (exploration of the long tail).
         */
        public String sort = "desc";
    }

    /**
     * An experiment arm: users are assigned by a stable hash; overrides replace the base's fields.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class Variant {
        public String name;

        /** Percentage of users, 0..100; the shares of all variants add up to 100. */
        public Integer share;

        public List<Source> sources;
        public Filters filters;
        public Combiner combiner;
    }
}
