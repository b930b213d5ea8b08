package io.walkstream.bench;

import io.walkstream.config.JobConfig;
import io.walkstream.graph.AttributeSet;
import io.walkstream.graph.EdgeLog;
import io.walkstream.graph.Edges;
import io.walkstream.graph.KeyedSums;
import io.walkstream.model.Action;
import io.walkstream.model.Event;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.NodeIds;
import io.walkstream.walk.EventRouter;
import java.util.Arrays;

/**
 * The benchmark's yardstick graph: what the job keeps for its walks, in plain primitive arrays in
 * this JVM — no Flink, no state backend, no shuffles, no TTL. Nodes are keyed by the job's 64-bit
 * ids ({@link NodeIds#hash}) and numbered densely ({@link KeyedSums} as the index); each node has
 * one bounded ring buffer of neighbour ids, timestamps, actions and weights, with the job's
 * capacities ({@code graph.userCapacity}, {@code itemCapacity}, {@code attributeCapacity}, rounded
 * up to whole chunks as {@link EdgeLog} rounds them):
 *
 * <ul>
 *   <li>a user's ring holds its recent items — what the job keeps twice, as Seed's behaviour and as
 *       Context's user → items adjacency (the same appends);
 *   <li>an item's ring holds its recent users (Item's item → users), plus its attribute set
 *       (category, brand, tags; {@link AttributeSet}, diffed as Item diffs it) and its interaction
 *       count (Score's degree, for RP3β);
 *   <li>a category's, brand's or tag's ring holds its recent items (Context's attribute → items).
 * </ul>
 *
 * Left out, because the walk does not read them: trending lists, item vectors and their buckets,
 * dislikes, hides, impressions and follows (the shop sends none of those), and state expiry.
 *
 * <p>One writer at a time; any number of concurrent readers once writing has stopped (the benchmark
 * appends, then answers, then appends again).
 */
public final class ReferenceGraph {
    private static final byte ATTRIBUTE = Action.ATTRIBUTE.code();
    private static final long[] NO_LONGS = new long[0];
    private static final byte[] NO_BYTES = new byte[0];
    private static final float[] NO_FLOATS = new float[0];

    private final JobConfig cfg;
    private final int[] capacityByKind;
    private final KeyedSums index = new KeyedSums(1 << 16);
    private byte[] kind = new byte[1 << 16];
    private long[][] nbr = new long[1 << 16][];
    private long[][] ts = new long[1 << 16][];
    private byte[][] action = new byte[1 << 16][];
    private float[][] weight = new float[1 << 16][];

    /** Edges ever appended to the node: the ring's write position, and for an item its degree. */
    private long[] appended = new long[1 << 16];

    private AttributeSet[] attributes = new AttributeSet[1 << 16];

    /** Items' external ids (the job's Score keeps them so answers can name items). */
    private String[] ids = new String[1 << 16];

    private long ringEntries;
    private long version;

    public ReferenceGraph(JobConfig cfg) {
        this.cfg = cfg;
        capacityByKind = new int[3];
        capacityByKind[GraphUpdate.USER] = EdgeLog.roundCapacity(cfg.graph.userCapacity);
        capacityByKind[GraphUpdate.ITEM_NODE] = EdgeLog.roundCapacity(cfg.graph.itemCapacity);
        capacityByKind[GraphUpdate.ATTRIBUTE_NODE] =
                EdgeLog.roundCapacity(cfg.graph.attributeCapacity);
        cfg.graph.weight((byte) 0); // fills the config's lazy weight table before readers share it
    }

    public JobConfig config() {
        return cfg;
    }

    /** Applies one input event as the job's router and steps would (the parts the walk reads). */
    public void apply(Event e) {
        switch (e.kind) {
            case Event.INTERACTION -> interaction(e);
            case Event.ITEM -> item(e);
            default -> {} // follows: not in the reference (the shop sends none)
        }
    }

    private void interaction(Event e) {
        Action a = e.actionType();
        if (a.role() != Action.Role.EDGE) {
            return; // dislikes, hides, impressions, follows: not in the reference
        }
        long user = NodeIds.hash(e.user);
        long item = NodeIds.hash(e.item);
        int i = node(item, GraphUpdate.ITEM_NODE);
        if (ids[i] == null) {
            ids[i] = e.item;
        }
        append(node(user, GraphUpdate.USER), item, a.code(), e.ts, e.weight);
        append(i, user, a.code(), e.ts, e.weight);
        version++;
    }

    private void item(Event e) {
        if (e.embedding != null && e.category == null && e.brand == null && e.tags == null) {
            return; // a vector update only
        }
        long item = NodeIds.hash(e.item);
        int i = node(item, GraphUpdate.ITEM_NODE);
        if (ids[i] == null) {
            ids[i] = e.item;
        }
        AttributeSet set = attributes[i];
        if (set == null) {
            set = attributes[i] = new AttributeSet();
        }
        // Re-sent metadata adds only the attributes that are new, as the Item step diffs them.
        for (long attr : set.replace(EventRouter.attributeKeys(e, cfg.graph.maxAttributes), e.ts)) {
            append(node(attr, GraphUpdate.ATTRIBUTE_NODE), item, ATTRIBUTE, e.ts, 1f);
        }
        version++;
    }

    /** The node's number, created (of the given kind) if it is new. */
    private int node(long key, byte nodeKind) {
        int n = index.indexOf(key);
        if (n >= 0) {
            return n;
        }
        index.add(key, 0);
        n = index.size() - 1;
        if (n == kind.length) {
            grow();
        }
        kind[n] = nodeKind;
        return n;
    }

    private void grow() {
        int c = kind.length * 2;
        kind = Arrays.copyOf(kind, c);
        nbr = Arrays.copyOf(nbr, c);
        ts = Arrays.copyOf(ts, c);
        action = Arrays.copyOf(action, c);
        weight = Arrays.copyOf(weight, c);
        appended = Arrays.copyOf(appended, c);
        attributes = Arrays.copyOf(attributes, c);
        ids = Arrays.copyOf(ids, c);
    }

    /**
     * Appends to the node's ring: its arrays grow by doubling up to the capacity, then the oldest
     * edge is overwritten.
     */
    private void append(int n, long neighbour, byte act, long t, float w) {
        int cap = capacityByKind[kind[n]];
        long a = appended[n];
        int pos;
        if (a < cap) {
            pos = (int) a;
            long[] nb = nbr[n];
            if (nb == null || pos == nb.length) {
                int c = nb == null ? 4 : Math.min(cap, nb.length * 2);
                nbr[n] = nb == null ? new long[c] : Arrays.copyOf(nb, c);
                ts[n] = nb == null ? new long[c] : Arrays.copyOf(ts[n], c);
                action[n] = nb == null ? new byte[c] : Arrays.copyOf(action[n], c);
                weight[n] = nb == null ? new float[c] : Arrays.copyOf(weight[n], c);
            }
            ringEntries++;
        } else {
            pos = (int) (a % cap);
        }
        nbr[n][pos] = neighbour;
        ts[n][pos] = t;
        action[n][pos] = act;
        weight[n][pos] = w;
        appended[n] = a + 1;
    }

    /** The node's number, or -1 when the graph has never seen it. */
    public int indexOf(long key) {
        return index.indexOf(key);
    }

    public byte kind(int n) {
        return kind[n];
    }

    /** Edges in the node's ring (at most its capacity). */
    public int size(int n) {
        return nbr[n] == null ? 0 : (int) Math.min(appended[n], nbr[n].length);
    }

    /**
     * Points {@code into} at the node's ring without copying (the edges' order is not meaningful:
     * the sampler orders neighbours by key). {@code into} must only be read.
     */
    public void view(int n, Edges into) {
        if (nbr[n] == null) {
            into.nbr = NO_LONGS;
            into.ts = NO_LONGS;
            into.action = NO_BYTES;
            into.weight = NO_FLOATS;
            into.size = 0;
            return;
        }
        into.nbr = nbr[n];
        into.ts = ts[n];
        into.action = action[n];
        into.weight = weight[n];
        into.size = size(n);
    }

    /**
     * An item's contexts as the Item step reads them: its ring of users, then its attributes
     * (weight 1, since they were added).
     */
    public void itemContexts(int n, Edges into) {
        int size = size(n);
        AttributeSet set = attributes[n];
        int total = size + (set == null ? 0 : set.keys.length);
        if (into.nbr.length < total) {
            int c = Math.max(total, into.nbr.length * 2);
            into.nbr = new long[c];
            into.ts = new long[c];
            into.action = new byte[c];
            into.weight = new float[c];
        }
        if (size > 0) {
            System.arraycopy(nbr[n], 0, into.nbr, 0, size);
            System.arraycopy(ts[n], 0, into.ts, 0, size);
            System.arraycopy(action[n], 0, into.action, 0, size);
            System.arraycopy(weight[n], 0, into.weight, 0, size);
        }
        if (set != null) {
            for (int j = 0; j < set.keys.length; j++) {
                into.nbr[size + j] = set.keys[j];
                into.ts[size + j] = set.since[j];
                into.action[size + j] = ATTRIBUTE;
                into.weight[size + j] = 1f;
            }
        }
        into.size = total;
    }

    /** An item's interactions ever (Score's degree, RP3β's popularity penalty). */
    public long degree(int n) {
        return appended[n];
    }

    /** An item's external id; null for nodes that are not items. */
    public String id(int n) {
        return ids[n];
    }

    public int nodes() {
        return index.size();
    }

    /** Edges held in rings (appends that did not overwrite an older edge). */
    public long ringEntries() {
        return ringEntries;
    }

    /** Changes with every applied event: a reader's cached neighbours are stale when it moved. */
    public long version() {
        return version;
    }
}
