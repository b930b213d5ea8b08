package io.walkstream.rank;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Merges ranked source lists into one answer: weighted interleaving (smooth weighted round-robin,
 * so with weights 2:1 the slots go A A B A A B …), where each slot's source is instead drawn at
 * random by weight with probability {@code randomness} — from a generator seeded by the request, so
 * the answer is reproducible. An item placed once is not placed again (dedupe), at most {@code
 * maxPerCategory} items of one category are placed (0: no cap), and it stops at k.
 */
public final class Combiner {
    /** One source's ranked list. */
    public record Source<T>(String name, double weight, List<T> ranked) {}

    /** What the combiner needs to know about an item. */
    public interface Keys<T> {
        long item(T t);

        /** The item's category, or null (not capped). */
        String category(T t);
    }

    /** A placed item and the source that placed it. */
    public record Placed<T>(T item, String source) {}

    private Combiner() {}

    public static <T> List<Placed<T>> combine(
            List<Source<T>> sources,
            Keys<T> keys,
            int k,
            double randomness,
            int maxPerCategory,
            long seed) {
        int n = sources.size();
        int[] next = new int[n];
        double[] current = new double[n];
        boolean[] done = new boolean[n];
        SplittableRandom rng = new SplittableRandom(seed);
        Set<Long> used = new HashSet<>();
        Map<String, Integer> perCategory = new HashMap<>();
        List<Placed<T>> out = new ArrayList<>();
        while (out.size() < k) {
            int s =
                    randomness > 0 && rng.nextDouble() < randomness
                            ? draw(sources, done, rng)
                            : roundRobin(sources, done, current);
            if (s < 0) {
                break; // every source exhausted
            }
            T pick = null;
            List<T> list = sources.get(s).ranked();
            while (next[s] < list.size()) {
                T t = list.get(next[s]++);
                String cat = keys.category(t);
                if (used.contains(keys.item(t))) {
                    continue;
                }
                if (maxPerCategory > 0
                        && cat != null
                        && perCategory.getOrDefault(cat, 0) >= maxPerCategory) {
                    continue;
                }
                pick = t;
                break;
            }
            if (pick == null) {
                done[s] = true;
                continue;
            }
            used.add(keys.item(pick));
            String cat = keys.category(pick);
            if (cat != null) {
                perCategory.merge(cat, 1, Integer::sum);
            }
            out.add(new Placed<>(pick, sources.get(s).name()));
        }
        return out;
    }

    private static <T> int roundRobin(List<Source<T>> sources, boolean[] done, double[] current) {
        double total = 0;
        int best = -1;
        for (int i = 0; i < sources.size(); i++) {
            if (done[i]) {
                continue;
            }
            double w = sources.get(i).weight();
            current[i] += w;
            total += w;
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        if (best >= 0) {
            current[best] -= total;
        }
        return best;
    }

    private static <T> int draw(List<Source<T>> sources, boolean[] done, SplittableRandom rng) {
        double total = 0;
        for (int i = 0; i < sources.size(); i++) {
            if (!done[i]) {
                total += sources.get(i).weight();
            }
        }
        if (!(total > 0)) {
            return -1;
        }
        double x = rng.nextDouble() * total;
        int last = -1;
        for (int i = 0; i < sources.size(); i++) {
            if (done[i]) {
                continue;
            }
            last = i;
            x -= sources.get(i).weight();
            if (x < 0) {
                return i;
            }
        }
        return last;
    }
}
