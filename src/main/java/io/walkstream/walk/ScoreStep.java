package io.walkstream.walk;

import io.walkstream.config.JobConfig;
import io.walkstream.embed.ItemFacts;
import io.walkstream.graph.NodeExpiry;
import io.walkstream.model.Action;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.RankInput;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Step 4, keyed by item. Holds the item's facts — external id, degree, vectors — and turns arriving
 * walkers into candidates for Rank, with what Rank needs to score them (degree for RP3β, the vector
 * for similarity). It also answers the Seed step's probes: a seed's vector (for the user vector)
 * and a listed candidate's facts (so every candidate gets a score, visited or not).
 *
 * <p>The built-in vector is updated per edge: the item's context neighbours' fixed random vectors,
 * time-decayed and weighted like the edges — O(dim) per event, no read of the adjacency.
 */
public class ScoreStep extends KeyedCoProcessFunction<Long, GraphUpdate, Hop, RankInput>
        implements NodeExpiry.Owner {
    private static final byte ATTRIBUTE = Action.ATTRIBUTE.code();

    private final JobConfig cfg;

    private transient ValueState<ItemFacts> facts;
    private transient StepExpiry expiry;
    private transient WatermarkGate<Hop> gate;
    private transient UpdateOrder updateOrder;
    private transient StepCounter hopsIn;
    private transient StepCounter expired;
    private transient StepCounter candidatesOut;
    private transient StepCounter updates;

    /**
     * The facts of the item the last arrival was scored at, ready to copy: walker groups from many
     * seeds reach the same item in one batch (batches arrive sorted by node), and need one state
     * read and one vector quantisation between them. Any graph update or expiry on this subtask
     * invalidates it.
     */
    private transient RankInput factsOf;

    public ScoreStep(JobConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<ItemFacts> d =
                new ValueStateDescriptor<>("score-facts", TypeInformation.of(ItemFacts.class));
        expiry =
                new StepExpiry(
                        getRuntimeContext(), "score", cfg.graph.stateTtlMs, () -> factsOf = null);
        facts = NodeExpiry.valueState(getRuntimeContext(), expiry.nodes(), d);
        gate =
                new WatermarkGate<>(
                        getRuntimeContext(), "score", Hop.class, Hop::getTs, cfg.walk.alignment);
        updateOrder = new UpdateOrder(getRuntimeContext(), "score", cfg.walk.alignment);
        hopsIn = StepCounter.register(getRuntimeContext(), "score.hopsIn");
        expired = StepCounter.register(getRuntimeContext(), "score.expired");
        candidatesOut = StepCounter.register(getRuntimeContext(), "score.toRank");
        updates = StepCounter.register(getRuntimeContext(), "score.updates");
    }

    @Override
    public void processElement1(GraphUpdate u, Context ctx, Collector<RankInput> out)
            throws Exception {
        if (updateOrder.admit(u, ctx.timerService())) {
            apply(u, ctx);
        }
    }

    @Override
    public NodeExpiry expiry() {
        return expiry.nodes();
    }

    private void apply(GraphUpdate u, Context ctx) throws Exception {
        updates.inc();
        factsOf = null;
        expiry.written(ctx.timerService());
        ItemFacts f = facts.value();
        if (f == null) {
            f = new ItemFacts();
        }
        if (f.id == null) {
            f.id = u.id;
        }
        f.firstSeen = Math.min(f.firstSeen, u.ts);
        if (u.kind == GraphUpdate.EMBEDDING) {
            f.supplied = u.vector;
            f.suppliedModel = u.model;
        } else if (u.kind == GraphUpdate.ITEM_META) {
            f.category = u.category;
            f.brand = u.brand;
        } else if (u.action == ATTRIBUTE) {
            f.addContext(
                    u.nbr,
                    cfg.graph.attributeWeight,
                    u.ts,
                    cfg.graph.halfLifeMs,
                    cfg.embedding.dim);
        } else {
            f.degree++;
            f.addContext(
                    u.nbr,
                    cfg.graph.weight(u.action) * u.weight,
                    u.ts,
                    cfg.graph.halfLifeMs,
                    cfg.embedding.dim);
        }
        f.quantized = null; // the vector may have changed
        facts.update(f);
    }

    private static double norm(float[] v) {
        if (v == null) {
            return 0;
        }
        double s = 0;
        for (float x : v) {
            s += x * x;
        }
        return Math.sqrt(s);
    }

    @Override
    public void processElement2(Hop hop, Context ctx, Collector<RankInput> out) throws Exception {
        hopsIn.inc();
        if (gate.admit(hop, ctx.timerService())) {
            answerInTime(hop, ctx, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RankInput> out)
            throws Exception {
        if (expiry.handles(ctx.timeDomain(), timestamp, ctx.timerService())) {
            return;
        }
        for (GraphUpdate u : updateOrder.release(timestamp)) {
            apply(u, ctx);
        }
        for (Hop hop : gate.release(timestamp)) {
            answerInTime(hop, ctx, out);
        }
    }

    /**
     * Turns the arrival into a candidate, unless its request is past its deadline (answered
     * already: drop it).
     */
    private void answerInTime(Hop hop, Context ctx, Collector<RankInput> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        if (hop.expiredAt(now)) {
            expired.inc();
            return;
        }
        answer(hop, out);
    }

    private void answer(Hop hop, Collector<RankInput> out) throws Exception {
        if (hop.kind == Hop.INSPECT) {
            inspect(hop, facts.value(), out);
            return;
        }
        if (factsOf == null || factsOf.item != hop.node) {
            factsOf = facts(hop.node, facts.value());
        }
        RankInput r = new RankInput();
        r.request = hop.request;
        r.item = hop.node;
        r.kind =
                switch (hop.kind) {
                    case Hop.WALK -> RankInput.ARRIVAL;
                    case Hop.SEED_PROBE -> RankInput.SEED_INFO;
                    case Hop.TREND -> RankInput.TREND_ARRIVAL;
                    case Hop.NEIGHBOUR -> RankInput.NEIGHBOUR_ARRIVAL;
                    default -> RankInput.CANDIDATE_INFO;
                };
        r.walkers = hop.walkers;
        r.origin = hop.origin;
        r.via = hop.via;
        r.weight = hop.weight;
        out.collect(r.copyFacts(factsOf));
        candidatesOut.inc();
    }

    /** What Rank needs to know about item {@code node} (defaults when the item is unknown here). */
    private static RankInput facts(long node, ItemFacts f) {
        RankInput r = new RankInput();
        r.item = node;
        if (f != null) {
            r.itemId = f.id;
            r.degree = f.degree;
            r.vector = f.quantized();
            r.supplied = f.supplied != null;
            r.model = f.supplied != null ? f.suppliedModel : null;
            r.category = f.category;
            r.brand = f.brand;
            r.firstSeen = f.firstSeen;
        }
        return r;
    }

    private void inspect(Hop hop, ItemFacts f, Collector<RankInput> out) {
        var part = Inspection.object();
        if (f != null) {
            part.put("id", f.id)
                    .put("degree", f.degree)
                    .put("category", f.category)
                    .put("brand", f.brand);
            part.put("firstSeen", f.firstSeen == Long.MAX_VALUE ? null : f.firstSeen);
            part.put("vectorNorm", norm(f.vector)).put("vectorAt", f.vectorAt);
            part.put("suppliedDim", f.supplied == null ? 0 : f.supplied.length)
                    .put("suppliedNorm", norm(f.supplied));
            part.put("suppliedModel", f.suppliedModel);
        }
        out.collect(Inspection.part(hop.request, "score", part));
    }
}
