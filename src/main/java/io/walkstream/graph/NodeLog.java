package io.walkstream.graph;

/**
 * The per-node value of an {@link EdgeLog}: counters plus the chunk currently being written (the
 * "head"). Small nodes — most of a power-law graph — live entirely here, in one value.
 */
public class NodeLog {
    /** Edges ever appended: the node's degree, and the ring's write position. */
    public long appended;

    /** Ring capacity in edges, fixed when the node is created (a multiple of the chunk size). */
    public int capacity;

    /** Last time an edge was appended (event time). */
    public long lastTs;

    /**
     * Edges counted with exponential time decay, as of {@link #lastTs}: the node's recent activity.
     */
    public double decayedDegree;

    public EdgeChunk head = new EdgeChunk();

    public NodeLog() {}

    int chunks() {
        return capacity / EdgeLog.CHUNK;
    }

    /** Index, within the ring of chunks, of the chunk being written. */
    int headIndex() {
        long headStart = appended - head.size();
        return (int) ((headStart / EdgeLog.CHUNK) % chunks());
    }

    /**
     * The decayed degree as of {@code now} (edges after {@code now} are already counted; it is a
     * trend signal).
     */
    public double decayedDegreeAt(long now, long halfLifeMs) {
        return now >= lastTs
                ? decayedDegree * Decay.factor(now, lastTs, halfLifeMs)
                : decayedDegree;
    }
}
