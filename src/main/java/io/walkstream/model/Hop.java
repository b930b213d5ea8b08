package io.walkstream.model;

/**
 * A population of walkers of one request standing on one node, sent to the step keyed by that
 * node. Walkers never travel one by one: each step aggregates them per (request, next node, seed
 * item), so a request costs at most about W messages per step whatever the graph's size. The seed
 * item ({@link #origin}) and the context passed through ({@link #via}) ride along for explanations.
 *
 * <p>The same type carries the Seed step's probes to Score: {@link #SEED_PROBE} asks an item for its
 * vector (to build the user vector), {@link #CANDIDATE_PROBE} asks a listed candidate for its facts.
 */
public class Hop {
    public static final byte WALK = 0;
    public static final byte SEED_PROBE = 1;
    public static final byte CANDIDATE_PROBE = 2;

    public byte kind;
    /** Hash of the request id: the key of the Rank step, and the seed of the request's random numbers. */
    public long request;
    /** The node the walkers stand on: the key of the receiving step. */
    public long node;
    public int walkers;
    /** The seed node these walkers started from (an item, or a followed user). */
    public long origin;
    /** The context the walkers passed through (0 before the Context step). */
    public long via;
    /** The request's "now". */
    public long ts;
    /** For {@link #SEED_PROBE}: the seed's weight in the user vector. */
    public float weight;

    public Hop() {}

    public static Hop walk(long request, long node, int walkers, long origin, long via, long ts) {
        Hop h = new Hop();
        h.kind = WALK;
        h.request = request;
        h.node = node;
        h.walkers = walkers;
        h.origin = origin;
        h.via = via;
        h.ts = ts;
        return h;
    }

    public static Hop probe(byte kind, long request, long node, float weight, long ts) {
        Hop h = new Hop();
        h.kind = kind;
        h.request = request;
        h.node = node;
        h.weight = weight;
        h.ts = ts;
        return h;
    }

    public long getNode() {
        return node;
    }

    public long getTs() {
        return ts;
    }

    @Override
    public String toString() {
        return "Hop{kind=" + kind + " req=" + request + " node=" + node + " walkers=" + walkers + " origin=" + origin
                + " via=" + via + "}";
    }
}
