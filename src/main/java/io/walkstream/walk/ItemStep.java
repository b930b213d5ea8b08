package io.walkstream.walk;

import io.walkstream.config.JobConfig;
import io.walkstream.embed.ItemFacts;
import io.walkstream.embed.SimHash;
import io.walkstream.graph.AttributeSet;
import io.walkstream.graph.EdgeLog;
import io.walkstream.graph.EdgeWeights;
import io.walkstream.graph.Edges;
import io.walkstream.graph.NeighbourSampler;
import io.walkstream.graph.NodeExpiry;
import io.walkstream.model.Action;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import java.util.SplittableRandom;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.util.Collector;

/**
 * Step 2, keyed by item. Holds item → context adjacency: a ring buffer of the users who recently
 * interacted with the item, and its attribute contexts (category, brand, tags). Walkers standing on
 * the item move to a context chosen by edge weight.
 *
 * <p>Item metadata arrives here first: the step diffs the attribute set and forwards only new
 * item–attribute edges to Context and Score, so re-sent metadata never duplicates edges.
 */
public class ItemStep extends HopStep {
    private static final byte ATTRIBUTE = Action.ATTRIBUTE.code();

    /**
     * Salt for this step's random generator (mixed with the request, node and seed of each walker
     * group).
     */
    public static final long SALT = 0x17e3;

    /** Salt of the transitions' random numbers (the share's rounding, the spread's placement). */
    private static final long TRANSITION_SALT = 0x7e47;

    private transient EdgeLog users;

    /**
     * Transition edges: the items users acted on next after this one (a ring of the most recent).
     */
    private transient EdgeLog nextItems;

    private transient Edges nextEdges;
    private transient NeighbourSampler nextSampler;
    private transient EdgeWeights nextWeights;
    private transient StepCounter transitionsOut;

    /** The transitions hop's points per diverted walker (its own fan-out, else the last hop's). */
    private transient int transitionFanout;

    private transient StoredEdges stored;
    private transient ValueState<AttributeSet> attributes;

    /**
     * The item's vector (built-in, or supplied) and its SimHash bucket, for embedding neighbours.
     */
    private transient ValueState<ItemFacts> vector;

    private transient ValueState<Long> bucket;
    private transient StepCounter bucketMoves;

    public ItemStep(JobConfig cfg) {
        super(cfg, "item", SALT);
    }

    @Override
    void openGraphState() {
        users = new EdgeLog(getRuntimeContext(), "item-users", expiry(), cfg.graph.halfLifeMs);
        nextItems = new EdgeLog(getRuntimeContext(), "item-next", expiry(), cfg.graph.halfLifeMs);
        nextEdges = new Edges();
        nextSampler = new NeighbourSampler();
        nextWeights = new EdgeWeights(cfg.graph);
        transitionsOut = StepCounter.register(getRuntimeContext(), "item.transitionsOut");
        transitionFanout =
                Math.max(
                        1,
                        cfg.walk.transitionFanout >= 0
                                ? cfg.walk.transitionFanout
                                : cfg.walk.lastHopFanout);
        stored = new StoredEdges(getRuntimeContext(), "item");
        ValueStateDescriptor<AttributeSet> ad =
                new ValueStateDescriptor<>(
                        "item-attributes", TypeInformation.of(AttributeSet.class));
        attributes = NodeExpiry.valueState(getRuntimeContext(), expiry(), ad);
        var vd = new ValueStateDescriptor<>("item-vector", TypeInformation.of(ItemFacts.class));
        var bd = new ValueStateDescriptor<>("item-bucket", Types.LONG);
        vector = NodeExpiry.valueState(getRuntimeContext(), expiry(), vd);
        bucketMoves = StepCounter.register(getRuntimeContext(), "item.bucketMoves");
        bucket = NodeExpiry.valueState(getRuntimeContext(), expiry(), bd);
    }

    @Override
    void update(GraphUpdate u, Context ctx, Collector<Hop> out) throws Exception {
        updates.inc();
        switch (u.kind) {
            case GraphUpdate.EMBEDDING -> applySuppliedVector(u, ctx);
            case GraphUpdate.TRANSITION ->
                    stored.extraAppended(
                            nextItems.append(
                                    u.nbr, u.action, u.ts, u.weight, cfg.graph.transitionCapacity),
                            cfg.graph.transitionCapacity);
            case GraphUpdate.EDGE -> applyInteraction(u, ctx);
            case GraphUpdate.ATTRIBUTES -> applyAttributes(u, ctx);
            default -> throw new IllegalStateException("Item got update kind " + u.kind);
        }
    }

    private ItemFacts factsOrNew() throws Exception {
        ItemFacts v = vector.value();
        return v != null ? v : new ItemFacts();
    }

    private void applySuppliedVector(GraphUpdate u, Context ctx) throws Exception {
        ItemFacts v = factsOrNew();
        v.supplied = u.vector;
        rebucket(u.node, v, u.ts, true, ctx);
    }

    /**
     * A user acted on this item: the user joins its ring, its vector context, and its category's
     * trending items.
     */
    private void applyInteraction(GraphUpdate u, Context ctx) throws Exception {
        stored.appended(
                users.append(u.nbr, u.action, u.ts, u.weight, cfg.graph.itemCapacity),
                cfg.graph.itemCapacity);
        ItemFacts v = factsOrNew();
        v.degree++;
        v.addContext(
                u.nbr,
                cfg.graph.weight(u.action) * u.weight,
                u.ts,
                cfg.graph.halfLifeMs,
                cfg.embedding.dim);
        // A new bucket only when the update count reaches a power of two: at most log2(degree)
        // moves.
        rebucket(u.node, v, u.ts, Long.bitCount(v.degree) == 1, ctx);
        AttributeSet set = attributes.value();
        if (set != null && set.category != 0) {
            // The interaction counts towards the item's category's trending items.
            ctx.output(Routes.TO_CONTEXT, trend(set.category, u.node, u.ts, u.action, u.weight));
        }
    }

    private static GraphUpdate trend(long category, long item, long ts, byte action, float weight) {
        GraphUpdate trend = GraphUpdate.of(GraphUpdate.TREND, category, item, ts);
        trend.action = action;
        trend.weight = weight;
        return trend;
    }

    /**
     * New metadata: attributes join the vector context and become attribute edges; a new category
     * collects the item's past interactions.
     */
    private void applyAttributes(GraphUpdate u, Context ctx) throws Exception {
        AttributeSet set = attributes.value();
        if (set == null) {
            set = new AttributeSet();
        }
        long[] added = set.replace(u.attrs, u.ts);
        if (added.length > 0) {
            ItemFacts v = factsOrNew();
            for (long attr : added) {
                v.addContext(
                        attr,
                        cfg.graph.attributeWeight,
                        u.ts,
                        cfg.graph.halfLifeMs,
                        cfg.embedding.dim);
            }
            rebucket(u.node, v, u.ts, true, ctx);
        }
        boolean newCategory = u.nbr != 0 && u.nbr != set.category;
        set.category = u.nbr;
        attributes.update(set);
        if (newCategory) {
            // Interactions that arrived before the item's category count towards its trending list
            // too: trending does not depend on metadata arriving first (bounded by the ring's
            // capacity).
            Edges held = new Edges();
            users.read(held);
            for (int i = 0; i < held.size; i++) {
                ctx.output(
                        Routes.TO_CONTEXT,
                        trend(set.category, u.node, held.ts[i], held.action[i], held.weight[i]));
            }
        }
        for (long attr : added) {
            ctx.output(
                    Routes.TO_CONTEXT,
                    GraphUpdate.edge(
                            attr, GraphUpdate.ATTRIBUTE_NODE, u.node, Action.ATTRIBUTE, u.ts, 1f));
            GraphUpdate facts =
                    GraphUpdate.edge(
                            u.node, GraphUpdate.ITEM_NODE, attr, Action.ATTRIBUTE, u.ts, 1f);
            facts.id = u.id;
            ctx.output(Routes.TO_SCORE, facts);
        }
    }

    @Override
    int readEdges(Edges into) throws Exception {
        users.read(into);
        AttributeSet set = attributes.value();
        if (set != null) {
            for (int i = 0; i < set.keys.length; i++) {
                into.add(set.keys[i], ATTRIBUTE, set.since[i], 1f);
            }
        }
        return users.lastReads() + 1;
    }

    @Override
    long via(Hop arriving) {
        return 0;
    }

    /**
     * The transitions hop: {@code hop.transitionShare} of the walkers on this (seed) item follow
     * its transition edges, weighed like any edge at the request's time (with {@code
     * graph.transitionHalfLifeMs} when set), as expected mass spread over up to {@code
     * walk.transitionFanout × walkers} next items — straight to Score, with {@code via} = the seed
     * ("often next after it"). An item without visible transitions keeps all its walkers.
     */
    @Override
    int divert(Hop hop, Context ctx) throws Exception {
        if (hop.kind != Hop.WALK || !(hop.transitionShare > 0)) {
            return 0;
        }
        nextItems.read(nextEdges);
        if (nextEdges.size == 0) {
            return 0;
        }
        SplittableRandom rng =
                new SplittableRandom(
                        NodeIds.mix(hop.request, TRANSITION_SALT, hop.node, hop.origin));
        double share = hop.walkers * (double) Math.min(1f, hop.transitionShare);
        int diverted = (int) share + (rng.nextDouble() < share - (int) share ? 1 : 0);
        if (diverted == 0) {
            return 0;
        }
        long halfLife =
                cfg.graph.transitionHalfLifeMs >= 0
                        ? cfg.graph.transitionHalfLifeMs
                        : hop.halfLifeMs;
        nextSampler.prepare(
                nextEdges, nextWeights.at(hop.ts, hop.actionWeights, halfLife), hop.exclude);
        int n =
                cfg.walk.transitionTop > 0
                        ? nextSampler.strongest(
                                diverted,
                                (int)
                                        Math.min(
                                                cfg.walk.transitionTop,
                                                (long) transitionFanout * diverted),
                                Hop.TOKENS_PER_WALKER)
                        : nextSampler.spread(
                                diverted, transitionFanout, Hop.TOKENS_PER_WALKER, rng);
        for (int i = 0; i < n; i++) {
            Hop h = hop.walkOn(nextSampler.key(i), nextSampler.tokens(i), hop.origin);
            h.weight = (float) nextSampler.mass(i);
            ctx.output(Routes.HOPS_TO_SCORE, h);
        }
        transitionsOut.add(n);
        return n == 0 ? 0 : diverted;
    }

    @Override
    void inspect(Hop probe, Context ctx, Collector<Hop> out) throws Exception {
        Edges edges = new Edges();
        var part = Inspection.object();
        part.set("users", Inspection.log(users.read(edges), edges, cfg.graph.halfLifeMs, probe.ts));
        part.set(
                "next",
                Inspection.log(nextItems.read(edges), edges, cfg.graph.halfLifeMs, probe.ts));
        AttributeSet set = attributes.value();
        var attrs = part.putArray("attributes");
        if (set != null) {
            for (long k : set.keys) {
                attrs.add(Inspection.hex(k));
            }
            if (set.category != 0) {
                part.put("category", Inspection.hex(set.category));
            }
        }
        ctx.output(Routes.TO_RANK, Inspection.part(probe.request, "item", part));
        out.collect(probe.inspectAt(probe.node, 0));
    }

    /**
     * Stores the vector; when asked, recomputes its bucket and, if it changed, joins the new one.
     */
    private void rebucket(long item, ItemFacts v, long ts, boolean recompute, Context ctx)
            throws Exception {
        vector.update(v);
        float[] effective = v.effectiveVector();
        if (!recompute || effective == null) {
            return;
        }
        long b = SimHash.bucket(effective, v.supplied != null, cfg.embedding.lshBits);
        Long old = bucket.value();
        if (old == null || old != b) {
            bucket.update(b);
            bucketMoves.inc();
            ctx.output(
                    Routes.TO_CONTEXT,
                    GraphUpdate.edge(
                            b, GraphUpdate.ATTRIBUTE_NODE, item, Action.ATTRIBUTE, ts, 1f));
        }
    }

    /** Embedding neighbours of this (seed) item: the probe moves on to the item's vector bucket. */
    @Override
    void neighbourProbe(Hop probe, Context ctx, Collector<Hop> out) throws Exception {
        Long b = bucket.value();
        if (b == null) {
            ctx.output(Routes.TO_RANK, RankInput.absorbedTrend(probe.request, probe.walkers));
            return;
        }
        out.collect(probe.neighbourProbeAt(b));
    }

    /** Trending items of this (seed) item's category: the probe moves on to the category. */
    @Override
    void trendProbe(Hop probe, Context ctx, Collector<Hop> out) throws Exception {
        AttributeSet set = attributes.value();
        if (set == null || set.category == 0) {
            ctx.output(Routes.TO_RANK, RankInput.absorbedTrend(probe.request, probe.walkers));
            return;
        }
        out.collect(probe.trendProbeAt(set.category));
    }
}
