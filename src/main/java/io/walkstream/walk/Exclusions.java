package io.walkstream.walk;

import java.util.Arrays;

/**
 * The items a request must not be answered with: collects keys, then sorts and dedupes them (Rank
 * binary-searches the result).
 */
final class Exclusions {
    private long[] keys = new long[16];
    private int size;

    void add(long k) {
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
        }
        keys[size++] = k;
    }

    long[] build() {
        long[] k = Arrays.copyOf(keys, size);
        Arrays.sort(k);
        int m = 0;
        for (int i = 0; i < k.length; i++) {
            if (i == 0 || k[i] != k[i - 1]) {
                k[m++] = k[i];
            }
        }
        return Arrays.copyOf(k, m);
    }
}
