package io.walkstream.testing;

import io.walkstream.config.GraphConfig;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A random user–item graph with skewed item popularity, mixed actions, timestamps over a month and
 * a category per item, plus an independent exact computation of the three-step walk (user → item →
 * context → item) by explicit sums of products of transition probabilities.
 */
public final class RandomGraph {
    public static final long T0 = 1_600_000_000_000L;
    public static final long DAY = 86_400_000L;
    static final Action[] ACTIONS = {
        Action.VIEW, Action.VIEW, Action.CLICK, Action.LIKE, Action.CART, Action.PURCHASE
    };

    public final List<Event> events = new ArrayList<>();
    public final int items;
    public final int categories;

    public RandomGraph(long seed, int users, int items, int categories) {
        this.items = items;
        this.categories = categories;
        Random rnd = new Random(seed);
        for (int i = 0; i < items; i++) {
            events.add(Event.item(item(i), "cat" + (i % categories), null, null, null, T0 - DAY));
        }
        for (int u = 0; u < users; u++) {
            int m = 2 + rnd.nextInt(10);
            for (int k = 0; k < m; k++) {
                int i = (int) (items * Math.pow(rnd.nextDouble(), 2)); // popular items have low ids
                Action a = ACTIONS[rnd.nextInt(ACTIONS.length)];
                events.add(
                        Event.interaction(
                                user(u), item(i), a, T0 + (long) (rnd.nextDouble() * 30 * DAY)));
            }
        }
        events.sort((a, b) -> Long.compare(a.ts, b.ts));
    }

    public static String user(int u) {
        return "u" + u;
    }

    public static String item(int i) {
        return "i" + i;
    }

    public String[] allItems() {
        String[] ids = new String[items];
        for (int i = 0; i < items; i++) {
            ids[i] = item(i);
        }
        return ids;
    }

    /** Exact walk probabilities and item degrees, computed independently of the engine's code. */
    public final class Exact {
        final GraphConfig g;
        final long now;
        final Map<String, Map<String, Double>> itemToContext = new HashMap<>();
        final Map<String, Map<String, Double>> contextToItem = new HashMap<>();
        final Map<String, Map<String, Double>> userToItem = new HashMap<>();
        public final Map<String, Integer> degree = new HashMap<>();

        public Exact(GraphConfig g, long now) {
            this.g = g;
            this.now = now;
            for (Event e : events) {
                if (e.kind == Event.ITEM) {
                    String c = "category:" + e.category;
                    add(itemToContext, e.item, c, g.attributeWeight);
                    add(contextToItem, c, e.item, g.attributeWeight);
                } else if (e.ts <= now) {
                    double w = weight(e);
                    add(itemToContext, e.item, e.user, w);
                    add(contextToItem, e.user, e.item, w);
                    add(userToItem, e.user, e.item, w);
                }
                if (e.kind == Event.INTERACTION) {
                    degree.merge(e.item, 1, Integer::sum);
                }
            }
        }

        double weight(Event e) {
            double typeWeight = g.actionWeights.get(e.actionType().wireName());
            return typeWeight * e.weight * Math.pow(2, -(double) (now - e.ts) / g.halfLifeMs);
        }

        static void add(Map<String, Map<String, Double>> m, String from, String to, double w) {
            m.computeIfAbsent(from, k -> new LinkedHashMap<>()).merge(to, w, Double::sum);
        }

        static Map<String, Double> normalised(Map<String, Double> row) {
            double z = row.values().stream().mapToDouble(Double::doubleValue).sum();
            Map<String, Double> p = new LinkedHashMap<>();
            row.forEach((k, v) -> p.put(k, v / z));
            return p;
        }

        /** P(walker from {@code user} is on item j after user→item→context→item). */
        public Map<String, Double> threeStep(String user) {
            Map<String, Double> p3 = new HashMap<>();
            normalised(userToItem.get(user))
                    .forEach(
                            (s, ps) ->
                                    normalised(itemToContext.get(s))
                                            .forEach(
                                                    (c, pc) ->
                                                            normalised(contextToItem.get(c))
                                                                    .forEach(
                                                                            (j, pj) ->
                                                                                    p3.merge(
                                                                                            j,
                                                                                            ps * pc
                                                                                                    * pj,
                                                                                            Double
                                                                                                    ::sum))));
            return p3;
        }

        /** RP3β over items the user has not interacted with: p3(j) / degree(j)^β. */
        public Map<String, Double> rp3(String user, double beta) {
            Map<String, Double> out = new HashMap<>();
            Map<String, Double> history = userToItem.get(user);
            threeStep(user)
                    .forEach(
                            (j, p) -> {
                                if (!history.containsKey(j)) {
                                    out.put(
                                            j,
                                            p
                                                    / Math.pow(
                                                            Math.max(1, degree.getOrDefault(j, 0)),
                                                            beta));
                                }
                            });
            return out;
        }

        public String[] history(String user) {
            return userToItem.get(user).keySet().toArray(new String[0]);
        }
    }
}
