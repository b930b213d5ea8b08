package io.walkstream.model;

import io.walkstream.model.serial.MessageTypes;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * Everything Rank receives for a request, keyed by {@link #request}: the request context, walkers
 * arriving at an item (with the item's facts), walkers absorbed at a dead end, and answers to the
 * Seed step's probes. One type so Rank is a single keyed operator over a union of streams.
 */
@TypeInfo(MessageTypes.RankInputInfo.class)
public class RankInput {
    public static final byte CONTEXT = 0;
    public static final byte ARRIVAL = 1;
    public static final byte ABSORBED = 2;
    public static final byte SEED_INFO = 3;
    public static final byte CANDIDATE_INFO = 4;

    /** A trending item (one trend unit), with its trend score in {@link #weight}. */
    public static final byte TREND_ARRIVAL = 5;

    /**
     * One step's part of an inspect answer: {@link #itemId} names the part, {@link #inspect} is
     * JSON.
     */
    public static final byte INSPECT_PART = 6;

    /** An embedding neighbour (one unit). */
    public static final byte NEIGHBOUR_ARRIVAL = 7;

    /**
     * Several inputs for one request from one subtask, as one record ({@link #parts}): what a step
     * sends Rank after handling one batch of walkers.
     */
    public static final byte BATCH = 8;

    /**
     * A partial sum: every walker arrival at one item from one batch — the item's facts once, and
     * per arrival its seed, context and mass ({@link #arrivalOrigins}, {@link #arrivalVias}, {@link
     * #arrivalMass}); {@link #walkers} holds the summed accounting tokens.
     */
    public static final byte ARRIVALS = 9;

    /**
     * Walker mass is summed in fixed point, 2^32 units per walker: integer sums do not depend on
     * the order in which messages reached Rank (floating-point sums would, in their last bits), so
     * answers are identical across runs, state backends and batching. Resolution 2.3e-10 walkers;
     * 100,000 walkers fit 21,000 times in a long.
     */
    public static final double MASS_UNIT = 4294967296.0;

    public byte kind;
    public long request;
    public long item;
    public String itemId;
    public int walkers;
    public long origin;
    public long via;

    /** The item's interaction count, for RP3β's popularity penalty. */
    public long degree;

    /** The item's vector, unit-scaled to signed bytes; null when the item has none. */
    public byte[] vector;

    /** True when {@link #vector} came from an offline model rather than the built-in sketch. */
    public boolean supplied;

    /** For a supplied vector: the version of the model it came from (null when unnamed). */
    public String model;

    /**
     * For seeds: their weight in the user vector; for trending items: the trend score; for {@link
     * #ARRIVAL}: the walkers' expected mass on the item, and {@link #walkers} then counts
     * accounting tokens ({@link Hop#TOKENS_PER_WALKER} per walker); 0 without the last-hop spread,
     * and {@link #walkers} counts whole walkers, which are also the mass.
     */
    public float weight;

    /**
     * The item's category and brand (for filters, diversity caps and explanations); null when
     * unknown.
     */
    public String category;

    public String brand;

    /** When the item was first seen (event time); Long.MAX_VALUE when unknown. */
    public long firstSeen = Long.MAX_VALUE;

    /**
     * For {@link #ABSORBED}: the units were trend units, not walkers (they do not make an answer
     * partial).
     */
    public boolean trend;

    public RequestContext context;
    public String inspect;

    /** For {@link #BATCH}: the inputs it carries (never batches themselves). */
    public RankInput[] parts;

    /**
     * For {@link #ARRIVALS}: per arrival, the seed item, the context and the mass in {@link
     * #MASS_UNIT}s.
     */
    public long[] arrivalOrigins;

    public long[] arrivalVias;
    public long[] arrivalMass;

    public RankInput() {}

    public static RankInput context(long request, RequestContext ctx) {
        RankInput r = new RankInput();
        r.kind = CONTEXT;
        r.request = request;
        r.context = ctx;
        return r;
    }

    public static RankInput absorbed(long request, int walkers) {
        RankInput r = new RankInput();
        r.kind = ABSORBED;
        r.request = request;
        r.walkers = walkers;
        return r;
    }

    public static RankInput absorbedTrend(long request, int units) {
        RankInput r = absorbed(request, units);
        r.trend = true;
        return r;
    }

    /**
     * For {@link #ARRIVAL}: the accounting tokens it carries ({@link Hop#TOKENS_PER_WALKER} per
     * walker).
     */
    public long tokens() {
        return kind == ARRIVALS || weight > 0 ? walkers : (long) walkers * Hop.TOKENS_PER_WALKER;
    }

    /**
     * Copies the item's facts (id, degree, vector and its model, category, brand, first seen) from
     * {@code from}.
     */
    public RankInput copyFacts(RankInput from) {
        itemId = from.itemId;
        degree = from.degree;
        vector =
                from.vector; // shared, never changed: a message is serialized as it leaves its step
        supplied = from.supplied;
        model = from.model;
        category = from.category;
        brand = from.brand;
        firstSeen = from.firstSeen;
        return this;
    }

    /**
     * For {@link #ARRIVAL}: its mass in fixed point — the expected mass, or its whole walkers when
     * it carries none.
     */
    public long massUnits() {
        double m = weight > 0 ? weight : walkers;
        return Math.round(m * MASS_UNIT);
    }

    public long getRequest() {
        return request;
    }
}
