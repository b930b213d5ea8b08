package io.walkstream.eval;

import java.nio.charset.StandardCharsets;

/** A 64-bit FNV-1a hash mixed by SplitMix64: stable across JVMs, used to break ties without ids. */
final class StableHash {
    private StableHash() {}

    static long of(String a, String b, long seed) {
        long h = 0xcbf29ce484222325L ^ seed;
        for (byte x : (a + '\u0000' + b).getBytes(StandardCharsets.UTF_8)) {
            h ^= x & 0xff;
            h *= 0x100000001b3L;
        }
        h += 0x9E3779B97F4A7C15L;
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }
}
