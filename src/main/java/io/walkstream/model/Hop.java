package io.walkstream.model;

import io.walkstream.model.serial.MessageTypes;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A population of walkers of one request standing on one node, sent to the step keyed by that node.
 * Walkers never travel one by one: each step aggregates them per (request, next node, seed item),
 * so a request costs at most about W messages per step whatever the graph's size. The seed item
 * ({@link #origin}) and the context passed through ({@link #via}) ride along for explanations.
 *
 * <p>The same type carries the Seed step's probes to Score: {@link #SEED_PROBE} asks an item for
 * its vector (to build the user vector), {@link #CANDIDATE_PROBE} asks a listed candidate for its
 * facts.
 */
@TypeInfo(MessageTypes.HopInfo.class)
public class Hop {
    public static final byte WALK = 0;
    public static final byte SEED_PROBE = 1;
    public static final byte CANDIDATE_PROBE = 2;

    /**
     * Asks for trending items: at Item, of the item's category; at Context (a category), its top
     * items. {@link #walkers} counts the items wanted — units Rank accounts for like walkers, each
     * either arriving with a trending item or absorbed.
     */
    public static final byte TREND_PROBE = 3;

    /** One trending item on its way to Score; {@link #weight} is its trend score. */
    public static final byte TREND = 4;

    /**
     * An inspect request passing through every step: each reports what it holds about {@link
     * #node}.
     */
    public static final byte INSPECT = 5;

    /**
     * Asks for embedding neighbours: at Item, of the item's vector bucket; at Context (a bucket),
     * its recent members. Units as for {@link #TREND_PROBE}.
     */
    public static final byte NEIGHBOUR_PROBE = 6;

    /** One embedding neighbour on its way to Score. */
    public static final byte NEIGHBOUR = 7;

    /**
     * A walk message leaving the Context step with a mass ({@link #weight} &gt; 0) counts
     * accounting tokens in {@link #walkers}, this many per walker: the last hop may send a group of
     * w walkers to more than w items, and every message must carry something Rank can count, so it
     * knows when all have arrived. Also the largest {@code walk.lastHopFanout}.
     */
    public static final int TOKENS_PER_WALKER = 64;

    public byte kind;

    /**
     * Hash of the request id: the key of the Rank step, and the seed of the request's random
     * numbers.
     */
    public long request;

    /** The node the walkers stand on: the key of the receiving step. */
    public long node;

    public int walkers;

    /** The seed node these walkers started from (an item, or a followed user). */
    public long origin;

    /**
     * The context the walkers passed through (0 before the Context step). Walkers that followed a
     * transition edge arrive with {@code via == origin}: no context, the seed item itself led
     * there.
     */
    public long via;

    /** The request's "now". */
    public long ts;

    /**
     * For {@link #SEED_PROBE}: the seed's weight in the user vector; for {@link #TREND}: the trend
     * score; for {@link #WALK} leaving the Context step (the last hop): the walkers' expected mass
     * on the item, which Rank scores with ({@link #walkers} there counts tokens, see {@link
     * #TOKENS_PER_WALKER}).
     */
    public float weight;

    /** The request strategy's edge-weight overrides (null: the job's graph settings). */
    public float[] actionWeights;

    /** The request strategy's half-life override (-1: the job's graph setting). */
    public long halfLifeMs = -1;

    /**
     * When the request is answered without these walkers (processing time, epoch ms; 0: none).
     * Every step drops a message past it: its request has been answered at the deadline already,
     * and work for it would only delay requests that can still be answered in time.
     */
    public long deadline;

    /**
     * For walkers leaving Seed for their seed item: the share that follows the item's transition
     * edges ("what users did next") straight to the next items, instead of the co-engagement hop
     * through a context. Set from the request's strategy ({@code walk.transitionShare}); 0
     * elsewhere.
     */
    public float transitionShare;

    /**
     * For walkers leaving Seed for their seed item: the items the request will not be answered
     * with, sorted (null: none). The transitions hop places its mass on the strongest next items
     * outside them, so a slot is not spent on an item the user already has. Shared between a
     * request's hops and treated as immutable, like {@link #actionWeights}; not carried further.
     */
    public long[] exclude;

    public Hop() {}

    /** A message of any kind for the step keyed by {@code node}. */
    public static Hop of(
            byte kind, long request, long node, int walkers, long origin, long via, long ts) {
        Hop h = new Hop();
        h.kind = kind;
        h.request = request;
        h.node = node;
        h.walkers = walkers;
        h.origin = origin;
        h.via = via;
        h.ts = ts;
        return h;
    }

    public static Hop walk(long request, long node, int walkers, long origin, long via, long ts) {
        return of(WALK, request, node, walkers, origin, via, ts);
    }

    /** The next message of this hop's request, carrying its time and strategy overrides. */
    public Hop next(byte kind, long node, int walkers, long origin, long via) {
        Hop h = of(kind, request, node, walkers, origin, via, ts);
        h.actionWeights = actionWeights;
        h.halfLifeMs = halfLifeMs;
        h.deadline = deadline;
        return h;
    }

    /**
     * A seed item's probe to Score: its facts join the user vector with {@code weight} (negative: a
     * dislike).
     */
    public static Hop seedProbe(long request, long item, float weight, long ts) {
        return probe(SEED_PROBE, request, item, weight, ts);
    }

    /** A candidate the request names, asked of Score for its facts. */
    public static Hop candidateProbe(long request, long item, long ts) {
        return probe(CANDIDATE_PROBE, request, item, 0f, ts);
    }

    /** Asks {@code node} (a seed item, or a category) for {@code units} trending items. */
    public static Hop trendProbe(long request, long node, int units, long ts) {
        return of(TREND_PROBE, request, node, units, node, 0, ts);
    }

    /** Asks seed item {@code item} for {@code units} embedding neighbours. */
    public static Hop neighbourProbe(long request, long item, int units, long ts) {
        return of(NEIGHBOUR_PROBE, request, item, units, item, 0, ts);
    }

    /** An inspect request about {@code node}, on its way through the steps. */
    public static Hop inspect(long request, long node, long ts) {
        return of(INSPECT, request, node, 0, node, 0, ts);
    }

    /**
     * This hop's walkers (or some of them) moving on to {@code node}, having come through {@code
     * via}.
     */
    public Hop walkOn(long node, int walkers, long via) {
        return next(WALK, node, walkers, origin, via);
    }

    /** This inspect request passed on to the step keyed by {@code node}. */
    public Hop inspectAt(long node, long via) {
        return next(INSPECT, node, 0, origin, via);
    }

    /** One trending item this trend probe found, on its way to Score. */
    public Hop trendAt(long item, long via) {
        return next(TREND, item, 1, origin, via);
    }

    /** One embedding neighbour this neighbour probe found, on its way to Score. */
    public Hop neighbourAt(long item, long via) {
        return next(NEIGHBOUR, item, 1, origin, via);
    }

    /** This trend probe passed on to {@code category}, which keeps the trending items. */
    public Hop trendProbeAt(long category) {
        return next(TREND_PROBE, category, walkers, origin, 0);
    }

    /** This neighbour probe passed on to vector bucket {@code bucket}. */
    public Hop neighbourProbeAt(long bucket) {
        return next(NEIGHBOUR_PROBE, bucket, walkers, origin, 0);
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

    /** Whether the request's deadline has passed at processing time {@code now}. */
    public boolean expiredAt(long now) {
        return deadline > 0 && now > deadline;
    }

    @Override
    public String toString() {
        return "Hop{kind="
                + kind
                + " req="
                + request
                + " node="
                + node
                + " walkers="
                + walkers
                + " origin="
                + origin
                + " via="
                + via
                + "}";
    }
}
