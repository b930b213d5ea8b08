package io.walkstream.model;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks the values of events and requests after JSON parsing; every problem names its field.
 * Limits keep one hostile record from costing much: ids up to 256 characters, up to 64 tags,
 * vectors up to {@link #MAX_VECTOR} finite components, timestamps between 1970 and 2200.
 */
public final class Validation {
    public static final int MAX_ID = 256;
    public static final int MAX_TAGS = 64;
    public static final int MAX_VECTOR = 1024;
    public static final int MAX_LIST = 1000;
    public static final long MAX_TS = 7_258_118_400_000L; // 2200-01-01

    private Validation() {}

    public static List<String> check(Event e) {
        List<String> p = new ArrayList<>();
        switch (e.kind) {
            case Event.INTERACTION -> {
                id(p, "user", e.user);
                id(p, "item", e.item);
            }
            case Event.FOLLOW -> {
                id(p, "user", e.user);
                id(p, "followee", e.followee);
                if (e.user != null && e.user.equals(e.followee)) {
                    p.add("followee: a user cannot follow themselves");
                }
            }
            case Event.ITEM -> {
                id(p, "item", e.item);
                optionalId(p, "category", e.category);
                optionalId(p, "brand", e.brand);
                if (e.tags != null) {
                    if (e.tags.length > MAX_TAGS) {
                        p.add("tags: at most " + MAX_TAGS + " tags, got " + e.tags.length);
                    }
                    for (int i = 0; i < Math.min(e.tags.length, MAX_TAGS); i++) {
                        id(p, "tags[" + i + "]", e.tags[i]);
                    }
                }
                if (e.embedding != null) {
                    vector(p, "embedding", e.embedding);
                }
                optionalId(p, "model", e.model);
                if (e.model != null && e.embedding == null) {
                    p.add("model: names the model of an embedding, but there is none");
                }
            }
            default -> p.add("kind: unknown event kind " + e.kind);
        }
        timestamp(p, "ts", e.ts);
        if (!(e.weight > 0) || e.weight > 1e6f || Float.isInfinite(e.weight)) {
            p.add("weight: must be a finite number in (0, 1000000], got " + e.weight);
        }
        return p;
    }

    public static List<String> check(Request r, int maxK) {
        List<String> p = new ArrayList<>();
        id(p, "requestId", r.requestId);
        if (r.user == null && r.item == null && r.inspect == null) {
            p.add(
                    "user or item: a request needs a user (recommendations) or an item (more like this)");
        }
        optionalId(p, "inspect", r.inspect);
        optionalId(p, "user", r.user);
        optionalId(p, "item", r.item);
        optionalId(p, "channel", r.channel);
        optionalId(p, "variant", r.variant);
        if (r.k < 0 || r.k > maxK) {
            p.add(
                    "k: must be between 1 and "
                            + maxK
                            + " (0 or absent for the default), got "
                            + r.k);
        }
        timestamp(p, "ts", r.ts);
        list(p, "exclude", r.exclude);
        list(p, "candidates", r.candidates);
        if (r.walkers < 0) {
            p.add("walkers: must be > 0 when given, got " + r.walkers);
        }
        if (r.timeoutMs < 0 || r.timeoutMs > 600_000) {
            p.add("timeoutMs: must be between 1 and 600000 when given, got " + r.timeoutMs);
        }
        return p;
    }

    private static void list(List<String> p, String field, String[] values) {
        if (values == null) {
            return;
        }
        if (values.length > MAX_LIST) {
            p.add(field + ": at most " + MAX_LIST + " entries, got " + values.length);
            return;
        }
        for (int i = 0; i < values.length; i++) {
            id(p, field + "[" + i + "]", values[i]);
        }
    }

    static void id(List<String> p, String field, String value) {
        if (value == null) {
            p.add(field + ": missing");
        } else {
            optionalId(p, field, value);
        }
    }

    static void optionalId(List<String> p, String field, String value) {
        if (value == null) {
            return;
        }
        if (value.isBlank()) {
            p.add(field + ": must not be empty");
        } else if (value.length() > MAX_ID) {
            p.add(field + ": longer than " + MAX_ID + " characters (" + value.length() + ")");
        } else if (value.chars().anyMatch(c -> c < 0x20 || c == 0xFFFD)) {
            p.add(field + ": contains control characters or invalid UTF-8");
        }
    }

    /**
     * The job's rule for supplied vectors: at most {@code maxDim} components and, when {@code
     * exactDim} is positive, exactly that many — vectors of another dimension could not be compared
     * with the model's other vectors, so they are rejected rather than silently ignored.
     */
    public static List<String> checkDimension(Event e, int exactDim, int maxDim) {
        if (e.embedding == null) {
            return List.of();
        }
        int n = e.embedding.length;
        if (exactDim > 0 && n != exactDim) {
            return List.of(
                    "embedding: wrong dimension, expected "
                            + exactDim
                            + " components (embedding.suppliedDim), got "
                            + n);
        }
        if (n > maxDim) {
            return List.of(
                    "embedding: more than "
                            + maxDim
                            + " components (embedding.maxSuppliedDim), got "
                            + n);
        }
        return List.of();
    }

    static void timestamp(List<String> p, String field, long ts) {
        if (ts < 0 || ts > MAX_TS) {
            p.add(field + ": must be epoch milliseconds between 1970 and 2200, got " + ts);
        }
    }

    static void vector(List<String> p, String field, float[] v) {
        if (v.length == 0 || v.length > MAX_VECTOR) {
            p.add(field + ": must have 1 to " + MAX_VECTOR + " components, got " + v.length);
            return;
        }
        boolean nonZero = false;
        for (int i = 0; i < v.length; i++) {
            if (!Float.isFinite(v[i])) {
                p.add(field + "[" + i + "]: not a finite number");
                return;
            }
            nonZero |= v[i] != 0;
        }
        if (!nonZero) {
            p.add(field + ": all components are zero");
        }
    }
}
