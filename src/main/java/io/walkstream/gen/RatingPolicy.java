package io.walkstream.gen;

/** What a MovieLens rating becomes when it is replayed. */
public enum RatingPolicy {
    /**
     * 3–5: a {@code rate} edge weighted by the rating; 1–2: a {@code dislike} (the demo's reading).
     */
    LOW_IS_DISLIKE,
    /**
     * Every rating is one {@code rate} interaction of weight 1 — the standard implicit-feedback
     * reading of MovieLens in top-K benchmarks ("the user chose to watch and rate it"), and the one
     * the evaluation uses for walkstream and the baselines alike.
     */
    EVERY_RATING_IS_INTERACTION
}
