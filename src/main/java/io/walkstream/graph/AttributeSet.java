package io.walkstream.graph;

import java.util.Arrays;

/** An item's current attribute contexts (category, brand, tags) and when each was added. */
public class AttributeSet {
    public long[] keys = new long[0];
    public long[] since = new long[0];

    /** Key of the item's category context (0: none): where its interactions count as trending. */
    public long category;

    public AttributeSet() {}

    /**
     * Replaces the set with {@code next} (added at {@code ts}); returns the keys that are new.
     * Attributes kept from before keep their original time.
     */
    public long[] replace(long[] next, long ts) {
        long[] added = new long[next.length];
        long[] nextSince = new long[next.length];
        int a = 0;
        for (int i = 0; i < next.length; i++) {
            int old = indexOf(next[i]);
            if (old >= 0) {
                nextSince[i] = since[old];
            } else {
                nextSince[i] = ts;
                added[a++] = next[i];
            }
        }
        keys = next.clone();
        since = nextSince;
        return Arrays.copyOf(added, a);
    }

    private int indexOf(long k) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == k) {
                return i;
            }
        }
        return -1;
    }
}
