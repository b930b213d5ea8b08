package io.walkstream.config;

import io.walkstream.model.Action;
import io.walkstream.model.GraphUpdate;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How the graph is kept: ring-buffer capacities, edge weights, time decay, state TTL. */
public class GraphConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * The largest {@link #transitionWindow}: the Seed step reads a user's previous items with
     * {@code graph.EdgeLog.readRecent}, which returns at most one chunk's worth ({@code
     * EdgeLogTest} pins that a chunk holds this many). A constant here, not a reference, so config
     * stays below graph.
     */
    public static final int MAX_TRANSITION_WINDOW = 16;

    /**
     * How a transition edge i_k → j weighs with k, the position of i_k before j (1: just before).
     */
    public enum TransitionWeighting {
        /** 1/k. */
        HARMONIC,
        /** 2^−(k−1). */
        GEOMETRIC;

        /** The weight of position {@code k} (1 = the item just before). */
        public double weight(int k) {
            return this == HARMONIC ? 1.0 / k : Math.scalb(1.0, -(k - 1));
        }
    }

    @Setting(
            "Recent edges kept per user: the behaviour sequence (Seed) and the user→item adjacency (Context).")
    public int userCapacity = 256;

    @Setting("Recent users kept per item (item→context adjacency).")
    public int itemCapacity = 512;

    @Setting("Recent items kept per category, brand or tag.")
    public int attributeCapacity = 1024;

    @Setting("Dislikes/hides and impressions kept per user.")
    public int feedbackCapacity = 128;

    @Setting("Followed users kept per user.")
    public int followCapacity = 128;

    @Setting("Trending items kept per category (time-decayed interaction counts).")
    public int trendingCapacity = 64;

    @Setting("Attributes (category, brand and tags together) kept per item.")
    public int maxAttributes = 32;

    @Setting(
            "Transition edges: when a user acts on item j, each of the user's previous this-many items i_k "
                    + "(k = 1 the most recent) gets an edge i_k → j, weighted by `transitionWeighting`, kept at the Item "
                    + "step under i_k; an item held several times gets one edge, its weights summed. 0: none; at most 16.")
    public int transitionWindow = 16;

    @Setting(
            "How a transition edge's weight falls with k (see `transitionWindow`): `HARMONIC` 1/k, "
                    + "`GEOMETRIC` 2^−(k−1) (any case).")
    public TransitionWeighting transitionWeighting = TransitionWeighting.HARMONIC;

    @Setting(
            "Recent transition edges kept per item (what users did next after it). Up to `transitionWindow` per "
                    + "interaction of the item's users (see [evaluation](evaluation.md#transition-edges-window-blend-capacity)).")
    public int transitionCapacity = 4096;

    @Setting(
            "Half-life of interaction edges' weight, relative to the request's timestamp; 0 disables decay.")
    public long halfLifeMs = 14L * 24 * 3600 * 1000;

    @Setting(
            "Half-life of transition edges' weight (with the same `decayFloor`); -1: `halfLifeMs` (or a "
                    + "strategy's `halfLifeMs`); 0: transitions do not decay.")
    public long transitionHalfLifeMs = -1;

    @Setting(
            "Share of an interaction edge's weight that never decays: weight × (floor + (1 − floor) × decay). "
                    + "Without it a request long after the data (a dormant user, a replay) lets an item's last few users "
                    + "decide its whole hop; with it fresh edges still weigh up to 1/floor times more.")
    public double decayFloor = 0.2;

    @Setting(
            "Weight per action: an edge weighs action weight × event weight × decay. A map given in the "
                    + "configuration replaces the defaults (an action left out weighs 0).")
    public Map<String, Float> actionWeights = defaultWeights();

    @Setting("Weight of an item–attribute edge (does not decay).")
    public float attributeWeight = 1f;

    @Setting("Weight of a followed user among the seeds (does not decay).")
    public float followWeight = 2f;

    @Setting(
            "Nodes not written for this long are dropped whole (processing time; one timer per node,"
                    + " not Flink's state TTL); 0 keeps them.")
    public long stateTtlMs = 30L * 24 * 3600 * 1000;

    private transient float[] weightByCode;

    static Map<String, Float> defaultWeights() {
        Map<String, Float> m = new LinkedHashMap<>();
        m.put("view", 1f);
        m.put("click", 2f);
        m.put("like", 4f);
        m.put("share", 4f);
        m.put("cart", 6f);
        m.put("purchase", 8f);
        m.put("rate", 1f);
        return m;
    }

    /** Weight of an action by its code; attribute and follow edges use their own settings. */
    public float weight(byte actionCode) {
        float[] w = weightByCode;
        if (w == null) {
            w = new float[Action.values().length];
            EnumMap<Action, Float> byAction = new EnumMap<>(Action.class);
            actionWeights.forEach((k, v) -> byAction.put(Action.parse(k), v));
            for (Action a : Action.values()) {
                w[a.code()] =
                        switch (a) {
                            case ATTRIBUTE -> attributeWeight;
                            case FOLLOW -> followWeight;
                            default -> byAction.getOrDefault(a, 0f);
                        };
            }
            weightByCode = w;
        }
        return w[actionCode];
    }

    public int capacityFor(byte nodeKind) {
        return switch (nodeKind) {
            case GraphUpdate.USER -> userCapacity;
            case GraphUpdate.ITEM_NODE -> itemCapacity;
            default -> attributeCapacity;
        };
    }

    void validate(List<String> problems) {
        positive(problems, "graph.userCapacity", userCapacity);
        positive(problems, "graph.itemCapacity", itemCapacity);
        positive(problems, "graph.attributeCapacity", attributeCapacity);
        positive(problems, "graph.feedbackCapacity", feedbackCapacity);
        positive(problems, "graph.followCapacity", followCapacity);
        positive(problems, "graph.maxAttributes", maxAttributes);
        positive(problems, "graph.trendingCapacity", trendingCapacity);
        positive(problems, "graph.transitionCapacity", transitionCapacity);
        if (transitionWindow < 0 || transitionWindow > MAX_TRANSITION_WINDOW) {
            problems.add(
                    "graph.transitionWindow must be in [0, "
                            + MAX_TRANSITION_WINDOW
                            + "], got "
                            + transitionWindow);
        }
        if (transitionWeighting == null) {
            problems.add("graph.transitionWeighting is missing");
        }
        if (transitionHalfLifeMs < -1) {
            problems.add(
                    "graph.transitionHalfLifeMs must be >= -1 (-1: halfLifeMs, 0: no decay), got "
                            + transitionHalfLifeMs);
        }
        if (halfLifeMs < 0) {
            problems.add("graph.halfLifeMs must be >= 0 (0 disables decay), got " + halfLifeMs);
        }
        if (!(decayFloor >= 0 && decayFloor <= 1)) {
            problems.add("graph.decayFloor must be in [0, 1], got " + decayFloor);
        }
        if (stateTtlMs < 0) {
            problems.add("graph.stateTtlMs must be >= 0 (0 disables TTL), got " + stateTtlMs);
        }
        if (actionWeights == null) {
            problems.add("graph.actionWeights is missing");
        } else {
            actionWeights.forEach(
                    (k, v) -> {
                        Action a = Action.parse(k);
                        if (a == null || a.role() != Action.Role.EDGE) {
                            problems.add(
                                    "graph.actionWeights."
                                            + k
                                            + ": not a graph action (one of "
                                            + "view, click, like, cart, purchase, share, rate)");
                        } else if (v == null || !(v >= 0) || Float.isInfinite(v)) {
                            problems.add(
                                    "graph.actionWeights."
                                            + k.toLowerCase(Locale.ROOT)
                                            + " must be a finite number >= 0, got "
                                            + v);
                        }
                    });
        }
        if (!(attributeWeight >= 0)) {
            problems.add("graph.attributeWeight must be >= 0, got " + attributeWeight);
        }
        if (!(followWeight >= 0)) {
            problems.add("graph.followWeight must be >= 0, got " + followWeight);
        }
    }

    static void positive(List<String> problems, String name, long value) {
        if (value <= 0) {
            problems.add(name + " must be > 0, got " + value);
        }
    }
}
