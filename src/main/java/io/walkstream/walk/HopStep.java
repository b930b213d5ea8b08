package io.walkstream.walk;

import io.walkstream.config.JobConfig;
import io.walkstream.graph.EdgeWeights;
import io.walkstream.graph.Edges;
import io.walkstream.graph.KeyedSums;
import io.walkstream.graph.NeighbourSampler;
import io.walkstream.graph.NodeExpiry;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * A walk step that moves walkers one hop: graph updates on input 1 maintain the node's edges;
 * walker populations on input 2 are placed on neighbours in proportion to edge weight (at the
 * request's time) and sent on, merged per neighbour. A node with no visible edge absorbs its
 * walkers and tells Rank. Subclasses say how the node's edges are stored and read.
 */
abstract class HopStep extends KeyedCoProcessFunction<Long, GraphUpdate, Hop, Hop>
        implements NodeExpiry.Owner {
    protected final JobConfig cfg;
    private final String name;
    private final long salt;

    private transient WatermarkGate<Hop> gate;
    private transient UpdateOrder updateOrder;
    private transient Edges edges;
    private transient NeighbourSampler sampler;
    private transient EdgeWeights weights;

    /**
     * Clears a node not written for {@code graph.stateTtlMs}; subclasses have {@link #expiry()}
     * cover their node state when they create it.
     */
    private transient StepExpiry expiry;

    /**
     * What the sampler's prepared neighbours were weighed for: walker groups of one request reach a
     * node once per seed they came from, and batches arrive sorted by node, so consecutive groups
     * on the same node at the same request time reuse one read and one weighing. Any graph update
     * or expiry on this subtask invalidates it.
     */
    private transient boolean preparedValid;

    private transient long preparedNode;
    private transient long preparedNow;
    private transient float[] preparedActionWeights;
    private transient long preparedHalfLife;
    private transient StepCounter hopsIn;
    private transient StepCounter hopsOut;
    private transient StepCounter stateReads;
    private transient StepCounter absorbed;
    private transient StepCounter expired;

    /** Graph updates applied by this step (subclasses count them). */
    protected transient StepCounter updates;

    /**
     * @param name step name, prefix of its state and counters
     * @param salt mixed into the request's seed, so each step draws its own random numbers
     */
    HopStep(JobConfig cfg, String name, long salt) {
        this.cfg = cfg;
        this.name = name;
        this.salt = salt;
    }

    /** Applies a graph update to the current node's state. */
    abstract void update(GraphUpdate u, Context ctx, Collector<Hop> out) throws Exception;

    /** Creates the step's graph state, covered by {@link #expiry()} when that is on. */
    abstract void openGraphState();

    /**
     * Reads the current node's edges into {@code into}; returns the number of state reads it took.
     */
    abstract int readEdges(Edges into) throws Exception;

    /** The context recorded on walkers leaving this node (0 when the node is not a context). */
    abstract long via(Hop arriving);

    /**
     * 0: walkers move one by one (each lands on one sampled neighbour). Otherwise this is the
     * walk's last hop and sends expected mass, spread over up to {@code fanout × walkers}
     * neighbours ({@link NeighbourSampler#spread}); the mass rides in {@link Hop#weight}, and
     * {@link Hop#walkers} then counts accounting tokens ({@link Hop#TOKENS_PER_WALKER} per walker,
     * at least one per message).
     */
    int fanout() {
        return 0;
    }

    /**
     * Walkers of {@code hop} this step sends on another way before the hop (Item: along transition
     * edges, straight to Score); the rest take the hop. 0 by default.
     */
    int divert(Hop hop, Context ctx) throws Exception {
        return 0;
    }

    /**
     * Reports what this step holds about the current node (an inspect request) and passes it on.
     */
    abstract void inspect(Hop probe, Context ctx, Collector<Hop> out) throws Exception;

    /**
     * Handles a {@link Hop#NEIGHBOUR_PROBE} (embedding neighbours asked for) on the current node.
     */
    abstract void neighbourProbe(Hop probe, Context ctx, Collector<Hop> out) throws Exception;

    /** Handles a {@link Hop#TREND_PROBE} (trending items asked for) on the current node. */
    abstract void trendProbe(Hop probe, Context ctx, Collector<Hop> out) throws Exception;

    @Override
    public void open(OpenContext openContext) {
        expiry =
                new StepExpiry(
                        getRuntimeContext(),
                        name,
                        cfg.graph.stateTtlMs,
                        () -> preparedValid = false);
        openGraphState();
        gate =
                new WatermarkGate<>(
                        getRuntimeContext(), name, Hop.class, Hop::getTs, cfg.walk.alignment);
        updateOrder = new UpdateOrder(getRuntimeContext(), name, cfg.walk.alignment);
        edges = new Edges();
        sampler = new NeighbourSampler();
        weights = new EdgeWeights(cfg.graph);
        hopsIn = StepCounter.register(getRuntimeContext(), name + ".hopsIn");
        hopsOut = StepCounter.register(getRuntimeContext(), name + ".hopsOut");
        stateReads = StepCounter.register(getRuntimeContext(), name + ".stateReads");
        absorbed = StepCounter.register(getRuntimeContext(), name + ".absorbed");
        expired = StepCounter.register(getRuntimeContext(), name + ".expired");
        updates = StepCounter.register(getRuntimeContext(), name + ".updates");
    }

    @Override
    public final void processElement1(GraphUpdate u, Context ctx, Collector<Hop> out)
            throws Exception {
        if (updateOrder.admit(u, ctx.timerService())) {
            apply(u, ctx, out);
        }
    }

    private void apply(GraphUpdate u, Context ctx, Collector<Hop> out) throws Exception {
        preparedValid = false; // the graph changed: the prepared neighbours may be stale
        expiry.written(ctx.timerService());
        update(u, ctx, out);
    }

    @Override
    public NodeExpiry expiry() {
        return expiry.nodes();
    }

    @Override
    public void processElement2(Hop hop, Context ctx, Collector<Hop> out) throws Exception {
        hopsIn.inc();
        if (gate.admit(hop, ctx.timerService())) {
            handleInTime(hop, ctx, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Hop> out) throws Exception {
        if (expiry.handles(ctx.timeDomain(), timestamp, ctx.timerService())) {
            return;
        }
        // The node's updates stamped at this time first: a walker stamped t sees the events up to
        // t.
        for (GraphUpdate u : updateOrder.release(timestamp)) {
            apply(u, ctx, out);
        }
        for (Hop hop : gate.release(timestamp)) {
            handleInTime(hop, ctx, out);
        }
    }

    /**
     * Moves the walkers on, unless their request is past its deadline (answered already: drop
     * them).
     */
    private void handleInTime(Hop hop, Context ctx, Collector<Hop> out) throws Exception {
        long now = ctx.timerService().currentProcessingTime();
        if (hop.expiredAt(now)) {
            expired.inc();
            return;
        }
        handle(hop, ctx, out);
    }

    private void handle(Hop hop, Context ctx, Collector<Hop> out) throws Exception {
        if (hop.kind == Hop.TREND_PROBE) {
            trendProbe(hop, ctx, out);
        } else if (hop.kind == Hop.NEIGHBOUR_PROBE) {
            neighbourProbe(hop, ctx, out);
        } else if (hop.kind == Hop.INSPECT) {
            inspect(hop, ctx, out);
        } else {
            walk(hop, ctx, out);
        }
    }

    private void walk(Hop hop, Context ctx, Collector<Hop> out) throws Exception {
        prepare(hop);
        SplittableRandom rng =
                new SplittableRandom(NodeIds.mix(hop.request, salt, hop.node, hop.origin));
        int fanout = fanout();
        if (fanout > 0) {
            spread(hop, fanout, rng, ctx, out);
            return;
        }
        int walkers = hop.walkers - divert(hop, ctx);
        if (walkers == 0) {
            return;
        }
        KeyedSums next = sampler.sample(walkers, rng);
        if (next == null) {
            absorbed.add(walkers);
            ctx.output(Routes.TO_RANK, RankInput.absorbed(hop.request, walkers));
            return;
        }
        long via = via(hop);
        for (int i = 0; i < next.size(); i++) {
            out.collect(hop.walkOn(next.key(i), (int) next.sum(i), via));
        }
        hopsOut.add(next.size());
    }

    /**
     * Reads and weighs the current node's edges for this hop's request time, unless that is already
     * done.
     */
    private void prepare(Hop hop) throws Exception {
        if (preparedValid
                && preparedNode == hop.node
                && preparedNow == hop.ts
                && preparedHalfLife == hop.halfLifeMs
                && Arrays.equals(preparedActionWeights, hop.actionWeights)) {
            return;
        }
        stateReads.add(readEdges(edges));
        sampler.prepare(edges, weights.at(hop.ts, hop.actionWeights, hop.halfLifeMs));
        preparedValid = true;
        preparedNode = hop.node;
        preparedNow = hop.ts;
        preparedHalfLife = hop.halfLifeMs;
        preparedActionWeights = hop.actionWeights;
    }

    private void spread(
            Hop hop, int fanout, SplittableRandom rng, Context ctx, Collector<Hop> out) {
        int n = sampler.spread(hop.walkers, fanout, Hop.TOKENS_PER_WALKER, rng);
        if (n == 0) {
            absorbed.add(hop.walkers);
            ctx.output(Routes.TO_RANK, RankInput.absorbed(hop.request, hop.walkers));
            return;
        }
        long via = via(hop);
        for (int i = 0; i < n; i++) {
            Hop h = hop.walkOn(sampler.key(i), sampler.tokens(i), via);
            h.weight = (float) sampler.mass(i);
            out.collect(h);
        }
        hopsOut.add(n);
    }
}
