package io.walkstream.gen;

/** Interaction logs the demo can replay instead of the synthetic shop. */
public enum DatasetFormat {
    /** MovieLens 100K {@code u.data}: tab-separated {@code user item rating unix_seconds}. */
    MOVIELENS,
    /** Taobao UserBehavior: {@code user,item,category,behavior,unix_seconds}, behavior pv/fav/cart/buy. */
    TAOBAO,
    /** Generic: {@code user,item,action,ts_ms}, action a wire name (view, click, ...), optional header. */
    CSV
}
