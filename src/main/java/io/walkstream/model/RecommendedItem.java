package io.walkstream.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One recommended (or, in candidate mode, scored) item, with why it was chosen. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RecommendedItem {
    public String item;

    /** The recall source that placed it: walk, follows or trending. */
    public String source;

    public double score;

    /** Walkers that ended on the item. */
    public int visits;

    /** Cosine similarity of the item's vector to the user (or query item) vector. */
    public double similarity;

    /**
     * The seed items (the user's history, or the query item) whose walkers reached it, most first.
     */
    public String[] via;

    /** How many distinct contexts (users, categories, brands, tags) the walkers came through. */
    public int contexts;

    /** Human-readable explanations. */
    public String[] reasons;

    public RecommendedItem() {}
}
