package io.walkstream.gen;

import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.Request;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A synthetic shop: users with power-law activity browse in sessions, mostly in their favourite
 * categories, and a session's views lead on to clicks, likes, carts and purchases with funnel-like
 * probabilities (about 3/4 of events are views, ~2% purchases). Items have a category and a brand,
 * are popular by a power law within their category, and new items keep appearing (each announced on
 * the items topic first, and favoured for a while, as shops promote novelties).
 *
 * <p>Deterministic for a seed; not thread-safe. Timestamps come from the caller, so a live demo
 * passes the wall clock and a benchmark can pass a simulated one.
 */
public final class ShopGenerator {
    /** Shape of the shop. */
    public record Params(
            int users,
            int initialItems,
            int categories,
            int brands,
            double userSkew,
            double itemSkew,
            int newItemEvery,
            int concurrentSessions)
            implements Serializable {
        public static Params defaults() {
            return new Params(20_000, 3_000, 40, 300, 1.05, 1.1, 250, 64);
        }
    }

    private final Params p;
    private final SplittableRandom rnd;
    private final Zipf userActivity;
    private final Zipf categoryPopularity;
    private final Zipf brandPopularity;

    /** Items by category, oldest first; index 0 is a category's most popular item. */
    private final List<List<Integer>> itemsByCategory = new ArrayList<>();

    private final List<Zipf> categoryZipf = new ArrayList<>();
    private final List<Event> pendingItems = new ArrayList<>();
    private final Session[] sessions;
    private int itemCount;
    private long eventsSinceNewItem;
    private long requestSeq;

    /** Users of recent sessions: the ones who open the app and ask for recommendations. */
    private final int[] recentUsers = new int[512];

    private long recentCount;

    private static final class Session {
        int user;
        int category;
        int remaining;

        /** The last item viewed; funnel actions (click, cart, purchase) apply to it. */
        int item = -1;

        /** Funnel depth on the current item: 0 viewed, 1 clicked, 2 carted. */
        int depth;
    }

    public ShopGenerator(Params p, long seed) {
        this.p = p;
        this.rnd = new SplittableRandom(seed);
        this.userActivity = new Zipf(p.users(), p.userSkew());
        this.categoryPopularity = new Zipf(p.categories(), 0.8);
        this.brandPopularity = new Zipf(p.brands(), 1.0);
        for (int c = 0; c < p.categories(); c++) {
            itemsByCategory.add(new ArrayList<>());
            categoryZipf.add(null);
        }
        sessions = new Session[p.concurrentSessions()];
        for (int i = 0; i < p.initialItems(); i++) {
            addItem(0);
        }
    }

    /** Item metadata for the catalogue so far (initial items and any new ones not yet taken). */
    public List<Event> takeNewItems(long now) {
        List<Event> out = new ArrayList<>(pendingItems);
        for (Event e : out) {
            e.ts = now;
        }
        pendingItems.clear();
        return out;
    }

    /**
     * The next interaction at {@code now}. Call {@link #takeNewItems} afterwards (or before) to get
     * metadata of items that appeared meanwhile.
     */
    public Event nextInteraction(long now) {
        if (++eventsSinceNewItem >= p.newItemEvery()) {
            eventsSinceNewItem = 0;
            addItem(now);
        }
        int slot = rnd.nextInt(sessions.length);
        Session s = sessions[slot];
        if (s == null || s.remaining <= 0) {
            s = sessions[slot] = newSession();
        }
        s.remaining--;
        if (s.item >= 0) {
            double u = rnd.nextDouble();
            // The funnel: after a view, maybe click; after a click, maybe cart; after a cart, maybe
            // buy.
            if (s.depth == 0 && u < 0.14) {
                return funnel(s, Action.CLICK, now);
            }
            if (s.depth == 1 && u < 0.30) {
                return funnel(s, Action.CART, now);
            }
            if (s.depth == 2 && u < 0.45) {
                return funnel(s, Action.PURCHASE, now);
            }
            if (u > 0.96) {
                return Event.interaction(
                        user(s.user), item(s.item), u > 0.993 ? Action.SHARE : Action.LIKE, now);
            }
        }
        s.item = pickItem(s.category);
        s.depth = 0;
        return Event.interaction(user(s.user), item(s.item), Action.VIEW, now);
    }

    /**
     * A request: mostly the home feed of a user seen in a recent session (active users ask more),
     * sometimes "more like this" for a popular item.
     */
    public Request nextRequest(long now, int k) {
        String id = "demo-" + (++requestSeq);
        if (rnd.nextDouble() < 0.15) {
            int c = categoryPopularity.sample(rnd);
            List<Integer> items = itemsByCategory.get(c);
            if (!items.isEmpty()) {
                Request r = Request.forItem(id, item(items.get(zipf(c).sample(rnd))), k, now);
                r.channel = "similar-items";
                return r;
            }
        }
        int u =
                recentCount == 0
                        ? userActivity.sample(rnd)
                        : recentUsers[rnd.nextInt((int) Math.min(recentCount, recentUsers.length))];
        Request r = Request.forUser(id, user(u), k, now);
        r.channel = "home";
        return r;
    }

    public int itemCount() {
        return itemCount;
    }

    private Event funnel(Session s, Action a, long now) {
        s.depth++;
        return Event.interaction(user(s.user), item(s.item), a, now);
    }

    private Session newSession() {
        Session s = new Session();
        s.user = userActivity.sample(rnd);
        // Each user has two favourite categories (fixed by the user's number); 80% of sessions stay
        // in them.
        SplittableRandom taste = new SplittableRandom(s.user * 0x9E3779B97F4A7C15L);
        int fav1 = categoryOf(taste), fav2 = categoryOf(taste);
        double u = rnd.nextDouble();
        s.category = u < 0.5 ? fav1 : u < 0.8 ? fav2 : categoryPopularity.sample(rnd);
        recentUsers[(int) (recentCount++ % recentUsers.length)] = s.user;
        s.remaining =
                1 + (int) (-Math.log(1 - rnd.nextDouble()) * 8); // geometric-like, mean ~8 events
        return s;
    }

    private int categoryOf(SplittableRandom r) {
        return categoryPopularity.sample(r);
    }

    private int pickItem(int category) {
        List<Integer> items = itemsByCategory.get(category);
        if (items.isEmpty()) {
            addItem(0, category);
        }
        // 10% of views go to the category's newest items (promotions), the rest follow popularity.
        if (items.size() > 10 && rnd.nextDouble() < 0.10) {
            return items.get(items.size() - 1 - rnd.nextInt(Math.min(20, items.size())));
        }
        return items.get(zipf(category).sample(rnd));
    }

    private Zipf zipf(int category) {
        Zipf z = categoryZipf.get(category);
        int n = itemsByCategory.get(category).size();
        if (z == null || z.size() != n) {
            z = new Zipf(n, p.itemSkew());
            categoryZipf.set(category, z);
        }
        return z;
    }

    private void addItem(long now) {
        addItem(now, categoryPopularity.sample(rnd));
    }

    private void addItem(long now, int category) {
        int id = ++itemCount;
        itemsByCategory.get(category).add(id);
        pendingItems.add(
                Event.item(
                        item(id),
                        "c" + category,
                        "b" + brandPopularity.sample(rnd),
                        null,
                        null,
                        now));
    }

    static String user(int u) {
        return "u:" + (u + 1);
    }

    static String item(int i) {
        return "i:" + i;
    }
}
