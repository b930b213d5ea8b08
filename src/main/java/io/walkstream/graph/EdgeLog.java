package io.walkstream.graph;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A bounded ring buffer of a node's most recent edges, in Flink keyed state.
 *
 * <p>Edges are stored in chunks of {@value #CHUNK}. The chunk being written lives in the node's
 * {@link NodeLog} value; when it fills it moves to a map entry (one per chunk index) and a new head
 * starts. Once the ring has wrapped, the head overwrites the oldest chunk: until it is full,
 * readers take the head's edges plus the old chunk's edges past the head's length. So appending one
 * edge reads and writes one small value (at most {@value #CHUNK} edges), plus one map put every
 * {@value #CHUNK} edges — O(1) whatever the node's degree, and on RocksDB no append rewrites the
 * whole buffer.
 */
public final class EdgeLog {
    public static final int CHUNK = 16;

    private final ValueState<NodeLog> node;
    private final MapState<Integer, EdgeChunk> chunks;
    private final long halfLifeMs;
    private int lastReads;

    /**
     * @param expiry clears the ring when its node expires; null keeps it
     * @param halfLifeMs half-life of the decayed degree counter; 0 counts without decay
     */
    public EdgeLog(RuntimeContext ctx, String name, NodeExpiry expiry, long halfLifeMs) {
        this.halfLifeMs = halfLifeMs;
        ValueStateDescriptor<NodeLog> nd =
                new ValueStateDescriptor<>(name + "-node", TypeInformation.of(NodeLog.class));
        MapStateDescriptor<Integer, EdgeChunk> cd =
                new MapStateDescriptor<>(
                        name + "-chunks", Types.INT, TypeInformation.of(EdgeChunk.class));
        this.node = ctx.getState(nd);
        this.chunks = ctx.getMapState(cd);
        if (expiry != null) {
            expiry.covers(node, nd); // a node with chunks always has its head
            expiry.covers(chunks, null);
        }
    }

    /** Rounds a configured capacity up to whole chunks. */
    public static int roundCapacity(int capacity) {
        return Math.max(CHUNK, ((capacity + CHUNK - 1) / CHUNK) * CHUNK);
    }

    /** Appends an edge to the current key's ring; returns the node's new degree. */
    public long append(long nbr, byte action, long ts, float weight, int capacity)
            throws Exception {
        NodeLog log = node.value();
        if (log == null) {
            log = new NodeLog();
            log.capacity = roundCapacity(capacity);
        }
        EdgeChunk head = log.head;
        if (head.size() == CHUNK) {
            chunks.put(log.headIndex(), head);
            head = new EdgeChunk();
            log.head = head;
        }
        head.add(nbr, action, ts, weight);
        log.appended++;
        if (log.appended == 1 || ts >= log.lastTs) {
            log.decayedDegree = log.decayedDegree * Decay.factor(ts, log.lastTs, halfLifeMs) + 1;
            log.lastTs = ts;
        } else {
            log.decayedDegree +=
                    Decay.factor(log.lastTs, ts, halfLifeMs); // a late edge counts at its own age
        }
        node.update(log);
        return log.appended;
    }

    /**
     * Reads every edge the current key holds into {@code out} (cleared first); returns the header.
     */
    public NodeLog read(Edges out) throws Exception {
        out.clear();
        NodeLog log = node.value();
        lastReads = 1;
        if (log == null) {
            return null;
        }
        out.addAll(log.head, 0);
        int flushed = (int) Math.min((log.appended - log.head.size()) / CHUNK, log.chunks());
        if (flushed > 0) {
            int headIdx = log.headIndex();
            for (int i = 0; i < flushed; i++) {
                EdgeChunk c = chunks.get(i);
                lastReads++;
                if (c == null) {
                    continue; // expired by TTL
                }
                // The chunk the head is overwriting still holds the oldest edges past the head's
                // length.
                out.addAll(c, i == headIdx ? log.head.size() : 0);
            }
        }
        return log;
    }

    /**
     * The current key's {@code m} (at most {@value #CHUNK}) most recently appended edges, newest
     * first, into {@code out} (cleared first): the head, and the chunk before it when the head
     * holds fewer — at most two state reads, whatever the node's degree.
     */
    public void readRecent(int m, Edges out) throws Exception {
        out.clear();
        NodeLog log = node.value();
        if (log == null || m <= 0) {
            return;
        }
        EdgeChunk head = log.head;
        int h = head.size();
        for (int i = h - 1; i >= 0 && out.size < m; i--) {
            out.add(head.nbr[i], head.action[i], head.ts[i], head.weight[i]);
        }
        long before = log.appended - h;
        if (out.size == m || before < CHUNK) {
            return;
        }
        int previous = (int) Math.floorMod(before / CHUNK - 1, (long) log.chunks());
        EdgeChunk c = chunks.get(previous);
        if (c == null) {
            return; // expired by TTL
        }
        // With a one-chunk ring the previous chunk is the one the head overwrites: its edges from h
        // on.
        int oldest = log.chunks() == 1 ? h : 0;
        for (int i = c.size() - 1; i >= oldest && out.size < m; i--) {
            out.add(c.nbr[i], c.action[i], c.ts[i], c.weight[i]);
        }
    }

    /** State reads the last {@link #read} took: one for the node, one per flushed chunk. */
    public int lastReads() {
        return lastReads;
    }
}
