package io.walkstream.model;

import java.nio.charset.StandardCharsets;

/**
 * Compact 64-bit node keys. External ids are strings on the wire ("u:42", "i:9001"); inside the job
 * every node is keyed by a 64-bit hash of its id, and the external id is kept once (items keep
 * theirs in the Score step, so results can name them). At 64 bits a collision among even a billion
 * nodes has a probability of about 3%·10⁻²: small enough to ignore for a recommender.
 */
public final class NodeIds {
    private NodeIds() {}

    /**
     * Context node of a category, brand or tag: a prefix no client id uses keeps them apart from
     * users.
     */
    public static String category(String name) {
        return "category:" + name;
    }

    public static String brand(String name) {
        return "brand:" + name;
    }

    public static String tag(String name) {
        return "tag:" + name;
    }

    /**
     * 64-bit hash of an external id (UTF-8 bytes, FNV-1a folded through the MurmurHash3 finaliser).
     */
    public static long hash(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        long h = 0xcbf29ce484222325L;
        for (byte b : bytes) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return mix(h ^ bytes.length);
    }

    /** MurmurHash3 fmix64: a bijective mixer, also used to derive per-step random seeds. */
    public static long mix(long z) {
        z ^= z >>> 33;
        z *= 0xff51afd7ed558ccdL;
        z ^= z >>> 33;
        z *= 0xc4ceb9fe1a85ec53L;
        z ^= z >>> 33;
        return z;
    }

    /** Combines several values into one well-mixed seed, order-sensitive. */
    public static long mix(long a, long b) {
        return mix(a * 0x9e3779b97f4a7c15L + b);
    }

    public static long mix(long a, long b, long c, long d) {
        return mix(mix(mix(a, b), c), d);
    }
}
