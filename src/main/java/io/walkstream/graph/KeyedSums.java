package io.walkstream.graph;

import io.walkstream.model.NodeIds;
import java.util.Arrays;

/**
 * Sums per 64-bit key in an open-addressing table of primitives: merges repeated edges into one
 * seed weight, and the walkers a step sends to the same neighbour into one message. Keys iterate in
 * first-insertion order, which keeps a step's output deterministic. Reused across calls.
 */
public final class KeyedSums {
    private long[] table;
    private int[] slots; // 1 + index into the insertion-ordered arrays; 0 = empty
    private long[] keys;
    private double[] sums;
    private int size;
    private int mask;

    public KeyedSums(int expected) {
        int cap = Integer.highestOneBit(Math.max(8, expected * 2) - 1) << 1;
        table = new long[cap];
        slots = new int[cap];
        mask = cap - 1;
        keys = new long[Math.max(4, expected)];
        sums = new double[keys.length];
    }

    public void clear() {
        if (size > 0) {
            Arrays.fill(slots, 0);
            size = 0;
        }
    }

    public void add(long key, double value) {
        int i = (int) NodeIds.mix(key) & mask;
        while (true) {
            int s = slots[i];
            if (s == 0) {
                if (size == keys.length) {
                    keys = Arrays.copyOf(keys, size * 2);
                    sums = Arrays.copyOf(sums, size * 2);
                }
                keys[size] = key;
                sums[size] = value;
                size++;
                table[i] = key;
                slots[i] = size;
                if (size * 2 > slots.length) {
                    rehash();
                }
                return;
            }
            if (table[i] == key) {
                sums[s - 1] += value;
                return;
            }
            i = (i + 1) & mask;
        }
    }

    /** Index of a key, or -1. */
    public int indexOf(long key) {
        int i = (int) NodeIds.mix(key) & mask;
        while (true) {
            int s = slots[i];
            if (s == 0) {
                return -1;
            }
            if (table[i] == key) {
                return s - 1;
            }
            i = (i + 1) & mask;
        }
    }

    private void rehash() {
        int cap = slots.length * 2;
        table = new long[cap];
        slots = new int[cap];
        mask = cap - 1;
        for (int j = 0; j < size; j++) {
            int i = (int) NodeIds.mix(keys[j]) & mask;
            while (slots[i] != 0) {
                i = (i + 1) & mask;
            }
            table[i] = keys[j];
            slots[i] = j + 1;
        }
    }

    public int size() {
        return size;
    }

    public long key(int i) {
        return keys[i];
    }

    public double sum(int i) {
        return sums[i];
    }

    /** The sums as a contiguous array (valid up to {@link #size()}); do not keep it. */
    public double[] sums() {
        return sums;
    }
}
