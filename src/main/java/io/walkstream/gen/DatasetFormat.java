package io.walkstream.gen;

/** Interaction logs the demo and the evaluation can replay instead of the synthetic shop. */
public enum DatasetFormat {
    /** MovieLens 100K {@code u.data}: tab-separated {@code user item rating unix_seconds}. */
    MOVIELENS,
    /** MovieLens 1M {@code ratings.dat}: {@code user::item::rating::unix_seconds}. */
    MOVIELENS1M,
    /**
     * Taobao UserBehavior: {@code user,item,category,behavior,unix_seconds}, behavior
     * pv/fav/cart/buy.
     */
    TAOBAO,
    /**
     * Generic: {@code user,item,action,ts_ms}, action a wire name (view, click, ...), optional
     * header.
     */
    CSV;

    /** True for the rating logs, whose ratings {@link RatingPolicy} maps to actions. */
    public boolean hasRatings() {
        return this == MOVIELENS || this == MOVIELENS1M;
    }
}
