package io.walkstream.model;

import io.walkstream.model.serial.MessageTypes;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One change to one node's state, addressed to the step that holds it. The router turns each {@link
 * Event} into a handful of these (an interaction updates the user in Seed, the item in Item, the
 * user as a context in Context, and the item's facts in Score); each is keyed by {@link #node}.
 */
@TypeInfo(MessageTypes.GraphUpdateInfo.class)
public class GraphUpdate {
    /** Append an edge to the node's ring buffer. */
    public static final byte EDGE = 0;

    /** Seed: the user disliked or hid {@link #nbr}. */
    public static final byte NEGATIVE = 1;

    /** Seed: {@link #nbr} was shown to the user. */
    public static final byte SERVED = 2;

    /** Seed: the user follows {@link #nbr}. */
    public static final byte FOLLOW = 3;

    /** Item: the item's full attribute set ({@link #attrs}) replaces the previous one. */
    public static final byte ATTRIBUTES = 4;

    /** Score: an offline model's vector for the item. */
    public static final byte EMBEDDING = 5;

    /** Score: the item's category and brand names. */
    public static final byte ITEM_META = 6;

    /**
     * Context (a category): an interaction on item {@link #nbr} counts towards the category's
     * trending items.
     */
    public static final byte TREND = 7;

    /**
     * Item (the earlier item): user behaviour went from {@link #node} to {@link #nbr} — the Seed
     * step sends one for each of the user's previous few interactions when the user acts on {@link
     * #nbr}. {@link #weight} falls with how many interactions back {@link #node} was; {@link
     * #action} is the action on {@link #nbr}.
     */
    public static final byte TRANSITION = 8;

    /** Node kinds, for per-kind ring-buffer capacities. */
    public static final byte USER = 0;

    public static final byte ITEM_NODE = 1;
    public static final byte ATTRIBUTE_NODE = 2;

    public long node;
    public byte kind;

    /** Kind of {@link #node} (user, item, attribute): selects the ring-buffer capacity. */
    public byte nodeKind;

    public long nbr;

    /** {@link Action#code()}. */
    public byte action;

    public long ts;
    public float weight;

    /** External id of {@link #node} when the receiving step keeps it (items in Score). */
    public String id;

    /** Attribute context keys, for {@link #ATTRIBUTES}. */
    public long[] attrs;

    public float[] vector;

    /**
     * For {@link #EMBEDDING}: the version of the model that produced {@link #vector} (may be null).
     */
    public String model;

    /**
     * For {@link #ITEM_META}: names. For {@link #ATTRIBUTES}: {@link #nbr} is the category's key
     * (0: none).
     */
    public String category;

    public String brand;

    public GraphUpdate() {}

    public static GraphUpdate edge(
            long node, byte nodeKind, long nbr, Action action, long ts, float weight) {
        GraphUpdate u = new GraphUpdate();
        u.node = node;
        u.kind = EDGE;
        u.nodeKind = nodeKind;
        u.nbr = nbr;
        u.action = action.code();
        u.ts = ts;
        u.weight = weight;
        return u;
    }

    public static GraphUpdate of(byte kind, long node, long nbr, long ts) {
        GraphUpdate u = new GraphUpdate();
        u.kind = kind;
        u.node = node;
        u.nbr = nbr;
        u.ts = ts;
        u.weight = 1f;
        return u;
    }

    public long getNode() {
        return node;
    }
}
