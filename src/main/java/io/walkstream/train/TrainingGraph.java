package io.walkstream.train;

import io.walkstream.config.GraphConfig;
import io.walkstream.model.Event;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The bipartite item–user graph the trainer learns from, with attribute lists per item. Edge
 * weights are the job's: action weight × event weight × 2^(−age / half-life), age counted back from
 * the last event, so recent behaviour dominates the sampled neighbourhoods as it does the walks.
 * Items and users are numbered in sorted id order: the numbering, and so a seeded run, does not
 * depend on the order of the log.
 */
public final class TrainingGraph {
    final String[] items;
    final String[] users;
    final String[] attributes;

    /** Per item: attribute indices. */
    final int[][] itemAttrs;

    /** Per item: neighbouring users, and cumulative edge weights for sampling. */
    final int[][] itemUsers;

    final double[][] itemUserCum;
    final int[][] userItems;
    final double[][] userItemCum;

    /** Per user: distinct items in time order of first interaction, with those times. */
    final int[][] sequences;

    final long[][] sequenceTimes;

    /**
     * Per user, aligned with {@link #sequences}: the summed action weight × event weight of their
     * interactions with the item, undecayed — the job's seed weight before time decay and recency.
     */
    final double[][] sequenceWeights;

    /** Per item: distinct users (its interaction degree). */
    final int[] degree;

    final Map<String, Integer> itemIndex = new HashMap<>();

    /**
     * @param events training interactions (only positive ones count; item metadata adds categories,
     *     brands and tags as attributes)
     * @param extraAttrs attributes from a catalogue file (e.g. MovieLens genres), by item id; items
     *     listed here without interactions are cold-start items
     */
    public TrainingGraph(
            List<Event> events, Map<String, List<String>> extraAttrs, double halfLifeDays) {
        Map<String, TreeSet<String>> attrsOf = attributesOf(events, extraAttrs);
        items = attrsOf.keySet().toArray(new String[0]);
        for (int i = 0; i < items.length; i++) {
            itemIndex.put(items[i], i);
        }
        users =
                events.stream()
                        .filter(Event::isPositive)
                        .map(e -> e.user)
                        .distinct()
                        .sorted()
                        .toArray(String[]::new);
        Map<String, Integer> userIndex = new HashMap<>();
        for (int u = 0; u < users.length; u++) {
            userIndex.put(users[u], u);
        }
        TreeSet<String> allAttrs = new TreeSet<>();
        attrsOf.values().forEach(allAttrs::addAll);
        attributes = allAttrs.toArray(new String[0]);
        Map<String, Integer> attrIndex = new HashMap<>();
        for (int a = 0; a < attributes.length; a++) {
            attrIndex.put(attributes[a], a);
        }
        itemAttrs = new int[items.length][];
        for (int i = 0; i < items.length; i++) {
            itemAttrs[i] = attrsOf.get(items[i]).stream().mapToInt(attrIndex::get).toArray();
        }

        List<Map<Integer, double[]>> byUser = cellsByUser(events, userIndex, halfLifeDays);
        userItems = new int[users.length][];
        userItemCum = new double[users.length][];
        sequences = new int[users.length][];
        sequenceTimes = new long[users.length][];
        sequenceWeights = new double[users.length][];
        List<List<double[]>> itemEdges = new ArrayList<>(); // per item: {user, weight}
        for (int i = 0; i < items.length; i++) {
            itemEdges.add(new ArrayList<>());
        }
        for (int u = 0; u < users.length; u++) {
            Map<Integer, double[]> row = new TreeMap<>(byUser.get(u));
            userItems[u] = row.keySet().stream().mapToInt(Integer::intValue).toArray();
            userItemCum[u] = cumulative(row.values().stream().mapToDouble(c -> c[0]).toArray());
            final int user = u;
            row.forEach((item, c) -> itemEdges.get(item).add(new double[] {user, c[0]}));
            Integer[] order = row.keySet().toArray(new Integer[0]);
            Arrays.sort(
                    order,
                    Comparator.<Integer>comparingDouble(i -> row.get(i)[1]).thenComparing(i -> i));
            sequences[u] = Arrays.stream(order).mapToInt(Integer::intValue).toArray();
            sequenceTimes[u] = Arrays.stream(order).mapToLong(i -> (long) row.get(i)[1]).toArray();
            sequenceWeights[u] = Arrays.stream(order).mapToDouble(i -> row.get(i)[2]).toArray();
        }
        itemUsers = new int[items.length][];
        itemUserCum = new double[items.length][];
        degree = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            List<double[]> edges = itemEdges.get(i); // users in ascending order already
            itemUsers[i] = edges.stream().mapToInt(x -> (int) x[0]).toArray();
            itemUserCum[i] = cumulative(edges.stream().mapToDouble(x -> x[1]).toArray());
            degree[i] = edges.size();
        }
    }

    /**
     * Every item (interacted with, or listed in metadata or the catalogue file) and its attributes,
     * sorted.
     */
    private static Map<String, TreeSet<String>> attributesOf(
            List<Event> events, Map<String, List<String>> extraAttrs) {
        Map<String, TreeSet<String>> attrsOf = new TreeMap<>();
        extraAttrs.forEach(
                (item, attrs) -> attrsOf.computeIfAbsent(item, k -> new TreeSet<>()).addAll(attrs));
        for (Event e : events) {
            if (e.kind == Event.ITEM) {
                TreeSet<String> a = attrsOf.computeIfAbsent(e.item, k -> new TreeSet<>());
                if (e.category != null) {
                    a.add("category:" + e.category);
                }
                if (e.brand != null) {
                    a.add("brand:" + e.brand);
                }
                if (e.tags != null) {
                    for (String t : e.tags) {
                        a.add("tag:" + t);
                    }
                }
            } else if (e.isPositive()) {
                attrsOf.computeIfAbsent(e.item, k -> new TreeSet<>());
            }
        }
        return attrsOf;
    }

    /**
     * Per user, per item: {edge weight summed (action weight × event weight × decay towards the
     * last positive event), first interaction time} (the time orders the user's sequence).
     */
    private List<Map<Integer, double[]>> cellsByUser(
            List<Event> events, Map<String, Integer> userIndex, double halfLifeDays) {
        long last =
                events.stream()
                        .filter(Event::isPositive)
                        .mapToLong(e -> e.ts)
                        .max()
                        .orElse(Long.MIN_VALUE);
        GraphConfig weights = new GraphConfig();
        double halfLifeMs = halfLifeDays * 86_400_000.0;
        List<Map<Integer, double[]>> byUser = new ArrayList<>();
        for (int u = 0; u < userIndex.size(); u++) {
            byUser.add(new LinkedHashMap<>());
        }
        for (Event e : events) {
            if (!e.isPositive()) {
                continue;
            }
            double decay = halfLifeMs > 0 ? Math.pow(2, -(last - e.ts) / halfLifeMs) : 1;
            double w = Math.max(1e-300, weights.weight(e.action) * e.weight * decay);
            double[] cell =
                    byUser.get(userIndex.get(e.user))
                            .computeIfAbsent(itemIndex.get(e.item), k -> new double[] {0, e.ts, 0});
            cell[0] += w;
            cell[2] += Math.max(0, weights.weight(e.action) * e.weight);
            cell[1] = Math.min(cell[1], e.ts);
        }
        return byUser;
    }

    private static double[] cumulative(double[] w) {
        double[] c = new double[w.length];
        double s = 0;
        for (int i = 0; i < w.length; i++) {
            c[i] = s += w[i];
        }
        return c;
    }

    public int itemCount() {
        return items.length;
    }

    public int userCount() {
        return users.length;
    }

    public int attributeCount() {
        return attributes.length;
    }

    /** Items with at least one interaction. */
    public int interactedItems() {
        int n = 0;
        for (int d : degree) {
            if (d > 0) {
                n++;
            }
        }
        return n;
    }
}
