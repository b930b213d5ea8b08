package io.walkstream.eval;

import io.walkstream.model.Event;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Splits a time-ordered log into training events and test cases by {@link Protocol}. Only positive
 * interactions (not dislike, hide, impression or follow) can be held out; item metadata and every
 * other event stay in training.
 */
public final class Splitter {
    private Splitter() {}

    /**
     * The held-out event of each user: latest ts, ties broken by a hash of user and item (never by
     * id).
     */
    static Set<Event> lastPerUser(List<Event> events) {
        Map<String, Event> last = new HashMap<>();
        for (Event e : events) {
            if (!e.isPositive()) {
                continue;
            }
            Event cur = last.get(e.user);
            if (cur == null
                    || e.ts > cur.ts
                    || (e.ts == cur.ts
                            && StableHash.of(e.user, e.item, 0)
                                    > StableHash.of(cur.user, cur.item, 0))) {
                last.put(e.user, e);
            }
        }
        Set<Event> out = Collections.newSetFromMap(new IdentityHashMap<>());
        out.addAll(last.values());
        return out;
    }

    public static Split leaveLastOut(List<Event> events) {
        return holdOutLast(events, 0, 0);
    }

    /**
     * The validation split for tuning baselines: leave-last-out on the training part of {@code
     * split}, so each user's last <em>training</em> interaction (the second-to-last overall under
     * leave-last-out) is the target, and the model is trained without it and without the test
     * events. Test items never reach it: they are not in {@code split.train()}.
     */
    public static Split validation(Split split) {
        return leaveLastOut(split.train());
    }

    /**
     * Leave-last-out with the held-out item ranked among {@code negatives} items the user never
     * touched.
     */
    public static Split sampled(List<Event> events, int negatives, long seed) {
        return holdOutLast(events, negatives, seed);
    }

    private static Split holdOutLast(List<Event> events, int negatives, long seed) {
        Set<Event> held = lastPerUser(events);
        Map<String, Set<String>> seen = new HashMap<>();
        Map<String, Set<String>> before = new HashMap<>();
        TreeSet<String> catalogue = new TreeSet<>();
        for (Event e : events) {
            if (e.kind == Event.INTERACTION && e.item != null) {
                seen.computeIfAbsent(e.user, u -> new HashSet<>()).add(e.item);
                catalogue.add(e.item);
            }
            if (e.isPositive() && !held.contains(e)) {
                before.computeIfAbsent(e.user, u -> new HashSet<>()).add(e.item);
            }
        }
        // A user with a single interaction has nothing to seed from; a held-out item the user
        // already interacted with earlier (repeat events) would be excluded as history, so it is no
        // fair test. Either way the event stays in training and the user is not asked.
        held.removeIf(e -> before.get(e.user) == null || before.get(e.user).contains(e.item));
        List<Event> train =
                withoutOrphanMetadata(events.stream().filter(e -> !held.contains(e)).toList());
        List<String> items = new ArrayList<>(catalogue);
        TreeMap<String, TestCase> tests = new TreeMap<>();
        for (Event e : held) {
            List<String> candidates =
                    negatives > 0
                            ? sampleNegatives(e, seen.get(e.user), items, negatives, seed)
                            : null;
            tests.put(e.user, new TestCase(e.user, e.ts, Set.of(e.item), candidates));
        }
        return new Split(train, new ArrayList<>(tests.values()));
    }

    /**
     * The training events without the item metadata of items that have no interaction left in them.
     * Readers announce an item's metadata at its first interaction (Taobao); when that interaction
     * is the held-out one, the metadata would stay behind, stamped at the test time, and an item
     * known only by its metadata would be — in a sample where every item has an interaction — a
     * test item: the engine's embedding neighbours (same category) recommended exactly these, a
     * leak.
     */
    static List<Event> withoutOrphanMetadata(List<Event> train) {
        Set<String> interacted = new HashSet<>();
        for (Event e : train) {
            if (e.kind == Event.INTERACTION && e.item != null) {
                interacted.add(e.item);
            }
        }
        List<Event> out = new ArrayList<>(train.size());
        for (Event e : train) {
            if (e.kind != Event.ITEM || interacted.contains(e.item)) {
                out.add(e);
            }
        }
        return out;
    }

    private static List<String> sampleNegatives(
            Event e, Set<String> seen, List<String> items, int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed ^ StableHash.of(e.user, "", seed));
        int available = items.size() - seen.size();
        int want = Math.min(n, available);
        LinkedHashSet<String> picked = new LinkedHashSet<>();
        picked.add(e.item);
        while (picked.size() < want + 1) {
            String c = items.get(rnd.nextInt(items.size()));
            if (!seen.contains(c)) {
                picked.add(c);
            }
        }
        return new ArrayList<>(picked);
    }

    /**
     * Train on everything before {@code cutoffTs}; each user with training history and at least one
     * new item at or after it is asked at {@code cutoffTs}; relevant = items first touched after
     * it.
     */
    public static Split timeSplit(List<Event> events, long cutoffTs) {
        List<Event> train = new ArrayList<>();
        Map<String, Set<String>> trainItems = new HashMap<>();
        for (Event e : events) {
            if (e.ts < cutoffTs) {
                train.add(e);
                if (e.isPositive()) {
                    trainItems.computeIfAbsent(e.user, u -> new HashSet<>()).add(e.item);
                }
            }
        }
        TreeMap<String, Set<String>> later = new TreeMap<>();
        for (Event e : events) {
            if (e.ts >= cutoffTs
                    && e.isPositive()
                    && trainItems.containsKey(e.user)
                    && !trainItems.get(e.user).contains(e.item)) {
                later.computeIfAbsent(e.user, u -> new TreeSet<>()).add(e.item);
            }
        }
        List<TestCase> tests = new ArrayList<>();
        later.forEach((u, items) -> tests.add(new TestCase(u, cutoffTs, Set.copyOf(items), null)));
        return new Split(train, tests);
    }

    /** The timestamp below which {@code fraction} of the positive interactions lie. */
    public static long cutoffAt(List<Event> events, double fraction) {
        List<Long> ts = new ArrayList<>();
        for (Event e : events) {
            if (e.isPositive()) {
                ts.add(e.ts);
            }
        }
        if (ts.isEmpty()) {
            throw new IllegalArgumentException("no interactions to split");
        }
        Collections.sort(ts);
        return ts.get(Math.min(ts.size() - 1, (int) Math.floor(fraction * ts.size())));
    }
}
