package io.walkstream.walk;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.walkstream.config.GraphConfig;
import io.walkstream.config.JobConfig;
import io.walkstream.graph.EdgeLog;
import io.walkstream.graph.Edges;
import io.walkstream.graph.KeyedSums;
import io.walkstream.graph.NodeExpiry;
import io.walkstream.graph.SystematicSampler;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.NodeIds;
import io.walkstream.model.Plan;
import io.walkstream.model.RankInput;
import io.walkstream.model.Request;
import io.walkstream.model.RequestContext;
import io.walkstream.strategy.StrategyCompiler;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Step 1, keyed by user. Holds the user's profile — behaviour sequence (a ring buffer of recent
 * item edges), dislikes and hides, impressions, follows — and starts every walk: it turns recent
 * behaviour into a seed distribution (action weight × time decay), splits the request's walkers
 * over the seeds, and sends
 *
 * <ul>
 *   <li>walkers for seed items to the Item step (main output),
 *   <li>walkers for followed users straight to the Context step (they stand on those users),
 *   <li>probes to Score for the seeds' vectors (the user vector) and the candidates' facts,
 *   <li>the request context to Rank: walkers and probes to wait for, and what to exclude.
 * </ul>
 *
 * Item-to-item requests start here too: keyed by their user if they name one (whose history is then
 * excluded), by the item otherwise; their only seed is the item.
 */
public class SeedStep extends KeyedCoProcessFunction<Long, GraphUpdate, Request, Hop>
        implements NodeExpiry.Owner {
    /**
     * Salt for this step's random generator, so steps draw independent numbers from one request
     * seed.
     */
    public static final long SALT = 0x5eed;

    /**
     * Seed items whose categories are asked for trending items, when the plan names no categories.
     */
    static final int TREND_SEEDS = 3;

    private final JobConfig cfg;

    private transient EdgeLog behaviour;
    private transient EdgeLog negative;
    private transient EdgeLog served;
    private transient EdgeLog follows;
    private transient StoredEdges stored;
    private transient StepExpiry expiry;
    private transient WatermarkGate<Request> gate;
    private transient UpdateOrder updateOrder;
    private transient Admission admission;

    /** The deadline of the request being started, stamped on every message it sends. */
    private transient long deadline;

    private transient StepCounter shed;
    private transient StepCounter transitionsOut;

    /** The user's latest interactions, read when a new one arrives (transition edges). */
    private transient Edges recent;

    /** The distinct items of {@link #recent}, in order, and their summed weighting factors. */
    private transient KeyedSums windowFactors;

    private transient Edges edges;
    private transient SeedSet seeds;
    private transient Plan defaultPlan;
    private transient double[] weights;
    private transient int[] counts;
    private transient StepCounter requestsIn;
    private transient StepCounter hopsOut;
    private transient StepCounter probesOut;
    private transient StepCounter stateReads;
    private transient StepCounter updates;

    public SeedStep(JobConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void open(OpenContext openContext) {
        expiry = new StepExpiry(getRuntimeContext(), "seed", cfg.graph.stateTtlMs, () -> {});
        NodeExpiry nodes = expiry.nodes();
        long h = cfg.graph.halfLifeMs;
        behaviour = new EdgeLog(getRuntimeContext(), "seed-behaviour", nodes, h);
        negative = new EdgeLog(getRuntimeContext(), "seed-negative", nodes, h);
        served = new EdgeLog(getRuntimeContext(), "seed-served", nodes, h);
        follows = new EdgeLog(getRuntimeContext(), "seed-follows", nodes, h);
        gate =
                new WatermarkGate<>(
                        getRuntimeContext(),
                        "seed",
                        Request.class,
                        Request::getTs,
                        cfg.walk.alignment);
        updateOrder = new UpdateOrder(getRuntimeContext(), "seed", cfg.walk.alignment);
        admission =
                new Admission(
                        cfg.walk, getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
        shed = StepCounter.register(getRuntimeContext(), "seed.shed");
        transitionsOut = StepCounter.register(getRuntimeContext(), "seed.transitionsOut");
        recent = new Edges();
        windowFactors = new KeyedSums(GraphConfig.MAX_TRANSITION_WINDOW);
        edges = new Edges();
        seeds = new SeedSet(cfg);
        defaultPlan = new StrategyCompiler(cfg).defaultPlan();
        weights = new double[64];
        counts = new int[64];
        requestsIn = StepCounter.register(getRuntimeContext(), "seed.requests");
        hopsOut = StepCounter.register(getRuntimeContext(), "seed.hopsOut");
        probesOut = StepCounter.register(getRuntimeContext(), "seed.probesOut");
        stateReads = StepCounter.register(getRuntimeContext(), "seed.stateReads");
        updates = StepCounter.register(getRuntimeContext(), "seed.updates");
        stored = new StoredEdges(getRuntimeContext(), "seed");
    }

    @Override
    public void processElement1(GraphUpdate u, Context ctx, Collector<Hop> out) throws Exception {
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
        expiry.written(ctx.timerService());
        switch (u.kind) {
            case GraphUpdate.EDGE -> {
                sendTransitions(u, ctx);
                stored.appended(
                        behaviour.append(u.nbr, u.action, u.ts, u.weight, cfg.graph.userCapacity),
                        cfg.graph.userCapacity);
            }
            case GraphUpdate.NEGATIVE ->
                    stored.extraAppended(
                            negative.append(u.nbr, u.action, u.ts, 1f, cfg.graph.feedbackCapacity),
                            cfg.graph.feedbackCapacity);
            case GraphUpdate.SERVED ->
                    stored.extraAppended(
                            served.append(u.nbr, u.action, u.ts, 1f, cfg.graph.feedbackCapacity),
                            cfg.graph.feedbackCapacity);
            case GraphUpdate.FOLLOW ->
                    stored.extraAppended(
                            follows.append(u.nbr, u.action, u.ts, 1f, cfg.graph.followCapacity),
                            cfg.graph.followCapacity);
            default -> throw new IllegalStateException("Seed got update kind " + u.kind);
        }
    }

    @Override
    public void processElement2(Request r, Context ctx, Collector<Hop> out) throws Exception {
        if (r.inspect == null) {
            String why = admission.check(r, ctx.timerService().currentProcessingTime());
            if (why != null) {
                shed(r, why, ctx);
                return;
            }
        }
        if (gate.admit(r, ctx.timerService())) {
            start(r, ctx, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Hop> out) throws Exception {
        if (expiry.handles(ctx.timeDomain(), timestamp, ctx.timerService())) {
            return;
        }
        // The user's updates stamped at this time first: a request stamped t sees the behaviour up
        // to t.
        for (GraphUpdate u : updateOrder.release(timestamp)) {
            apply(u, ctx);
        }
        for (Request r : gate.release(timestamp)) {
            start(r, ctx, out);
        }
    }

    /**
     * The user acts on {@code u.nbr}: each of the user's previous {@code graph.transitionWindow}
     * interactions i_k gets a transition edge i_k → u.nbr to the Item step, weighing the
     * interaction's weight × {@code graph.transitionWeighting}'s factor for k (1/k or 2^−(k−1)). An
     * item the window holds several times (view, cart, purchase of one item) gets one edge with its
     * factors summed: the same weight to u.nbr as separate edges (the hop merges edges per
     * neighbour), for one state write instead of several and fewer ring slots. Two state reads at
     * most (the ring's head and the chunk before it), whatever the user's history.
     */
    private void sendTransitions(GraphUpdate u, Context ctx) throws Exception {
        int m = cfg.graph.transitionWindow;
        if (m == 0) {
            return;
        }
        behaviour.readRecent(m, recent);
        windowFactors.clear();
        for (int k = 0; k < recent.size; k++) {
            long previous = recent.nbr[k];
            if (previous == u.nbr) {
                continue; // acting on the same item again is no transition
            }
            double w = cfg.graph.transitionWeighting.weight(k + 1);
            windowFactors.add(previous, w);
            if (recent.ts[k] == u.ts) {
                // Stamped at the same time: which came first is unknown (the canonical order of
                // equal timestamps is by key, not by what the user did), so the edge goes both
                // ways.
                transition(u.nbr, previous, u.ts, recent.action[k], recent.weight[k] * w, ctx);
            }
        }
        for (int i = 0; i < windowFactors.size(); i++) {
            transition(
                    windowFactors.key(i),
                    u.nbr,
                    u.ts,
                    u.action,
                    u.weight * windowFactors.sum(i),
                    ctx);
        }
    }

    private void transition(long from, long to, long ts, byte action, double weight, Context ctx) {
        GraphUpdate t = GraphUpdate.of(GraphUpdate.TRANSITION, from, to, ts);
        t.nodeKind = GraphUpdate.ITEM_NODE;
        t.action = action;
        t.weight = (float) weight;
        ctx.output(Routes.TRANSITIONS, t);
        transitionsOut.inc();
    }

    /**
     * Answers the request at once, empty, without a walk: Rank gets a context that waits for
     * nothing.
     */
    private void shed(Request r, String why, Context ctx) {
        shed.inc();
        RequestContext rc = context(r, 0, r.plan != null ? r.plan : defaultPlan);
        rc.exclude = new long[0];
        rc.shed = why;
        rc.deadline = ctx.timerService().currentProcessingTime();
        ctx.output(Routes.TO_RANK, RankInput.context(NodeIds.hash(r.requestId), rc));
    }

    /**
     * Starts a walk: seeds from the profile, probes and the context to Rank, walkers to Item and
     * Context.
     */
    private void start(Request r, Context ctx, Collector<Hop> out) throws Exception {
        requestsIn.inc();
        if (r.inspect != null) {
            inspect(r, ctx, out);
            return;
        }
        long request = NodeIds.hash(r.requestId);
        long now = r.ts;
        // The deadline counts from here: waiting for event time (alignment) is not the walk being
        // slow.
        deadline =
                ctx.timerService().currentProcessingTime()
                        + (r.timeoutMs > 0 ? r.timeoutMs : cfg.walk.timeoutMs);
        Plan plan = r.plan != null ? r.plan : defaultPlan;

        seeds.clear();
        Exclusions exclude = new Exclusions();
        if (r.user != null) {
            readProfile(r, now, plan, exclude);
        }
        if (r.isItemToItem()) {
            long item = NodeIds.hash(r.item);
            seeds.addItem(item);
            exclude.add(item);
        }
        if (r.exclude != null) {
            for (String x : r.exclude) {
                exclude.add(NodeIds.hash(x));
            }
        }
        int[] order = seeds.strongest(plan.maxSeeds);
        if (order.length == 0 && r.fallbackPlan != null) {
            plan = r.fallbackPlan; // a user without history: the strategy's fallback serves them
            order = seeds.strongest(plan.maxSeeds);
        }

        RequestContext rc = context(r, walkersFor(r, plan), plan);
        rc.exclude = exclude.build();
        rc.deadline = deadline;
        boolean placed = placeWalkers(request, rc.walkers, order);
        seeds.describe(rc, order);
        // Probes go out with the context so Rank knows how many answers to wait for.
        rc.probes = sendProbes(request, now, order, rc, ctx);
        rc.absorbedAtSeed = placed ? 0 : rc.walkers;
        rc.trendUnits = trendProbes(request, now, plan, order, ctx, out, false);
        ctx.output(Routes.TO_RANK, RankInput.context(request, rc));
        trendProbes(request, now, plan, order, ctx, out, true);
        if (placed) {
            sendWalkers(request, now, plan, order, rc.exclude, ctx, out);
        }
    }

    /**
     * The user's profile as of the request's time (a replay answers as live did): behaviour and
     * follows become seeds, dislikes cancel seeds, and history, dislikes and recent impressions are
     * excluded as the plan asks.
     */
    private void readProfile(Request r, long now, Plan plan, Exclusions exclude) throws Exception {
        readInto(behaviour, edges);
        if (plan.excludeInteracted || r.isItemToItem()) {
            excludeUpTo(now, Long.MAX_VALUE, exclude);
        }
        if (!r.isItemToItem()) {
            seeds.addBehaviour(edges, now, plan);
            readInto(follows, edges);
            seeds.addFollows(edges, now);
        }
        readInto(negative, edges);
        seeds.addDislikes(edges, now);
        if (plan.excludeDisliked) {
            excludeUpTo(now, Long.MAX_VALUE, exclude);
        }
        if (plan.servedWithinMs > 0) {
            readInto(served, edges);
            excludeUpTo(now, plan.servedWithinMs, exclude);
        }
    }

    /**
     * Excludes the items of the edges just read that are at most {@code withinMs} before {@code
     * now}.
     */
    private void excludeUpTo(long now, long withinMs, Exclusions exclude) {
        for (int i = 0; i < edges.size; i++) {
            if (edges.ts[i] <= now && now - edges.ts[i] <= withinMs) {
                exclude.add(edges.nbr[i]);
            }
        }
    }

    private int walkersFor(Request r, Plan plan) {
        boolean walk = plan.walkWeight > 0 || plan.followsWeight > 0 || plan.transitionsWeight > 0;
        if (!walk) {
            return 0;
        }
        return r.walkers > 0 ? Math.min(r.walkers, cfg.walk.maxWalkers) : plan.walkers;
    }

    /**
     * Splits the walkers over the seeds in proportion to their weights (systematic sampling); false
     * when none walk.
     */
    private boolean placeWalkers(long request, int walkers, int[] order) {
        int n = order.length;
        ensure(n);
        for (int j = 0; j < n; j++) {
            weights[j] = seeds.weight(order[j]);
        }
        SplittableRandom rng = new SplittableRandom(NodeIds.mix(request, SALT));
        return walkers > 0 && n > 0 && SystematicSampler.place(weights, n, walkers, rng, counts);
    }

    /**
     * Probes to Score: the seed items' facts (the user vector), the dislikes (which pull it away),
     * and the request's own candidates. Returns how many were sent.
     */
    private int sendProbes(long request, long now, int[] order, RequestContext rc, Context ctx) {
        int n = order.length;
        int probes = 0;
        for (int j = 0; j < n; j++) {
            long key = seeds.key(order[j]);
            if (!seeds.isFollowed(key)) {
                ctx.output(
                        Routes.HOPS_TO_SCORE,
                        stamped(Hop.seedProbe(request, key, (float) weights[j], now)));
                probes++;
            }
        }
        // Disliked items pull the user vector away from themselves: similar items score lower.
        for (int i = 0; i < seeds.dislikes() && n > 0; i++) {
            ctx.output(
                    Routes.HOPS_TO_SCORE,
                    stamped(
                            Hop.seedProbe(
                                    request, seeds.dislike(i), (float) -dislikeWeight(n), now)));
            probes++;
        }
        if (rc.candidates != null) {
            for (String c : rc.candidates) {
                ctx.output(
                        Routes.HOPS_TO_SCORE,
                        stamped(Hop.candidateProbe(request, NodeIds.hash(c), now)));
                probes++;
            }
        }
        probesOut.add(probes);
        return probes;
    }

    /**
     * The placed walkers: on seed items to the Item step, on followed users to the Context step.
     */
    private void sendWalkers(
            long request,
            long now,
            Plan plan,
            int[] order,
            long[] exclude,
            Context ctx,
            Collector<Hop> out) {
        // A stale user's last items say little about what comes next: no transitions.
        float share = seeds.stale() ? 0f : transitionShare(plan);
        for (int j = 0; j < order.length; j++) {
            if (counts[j] == 0) {
                continue;
            }
            long key = seeds.key(order[j]);
            Hop h = stamped(Hop.walk(request, key, counts[j], key, 0, now));
            h.actionWeights = plan.actionWeights;
            h.halfLifeMs = plan.halfLifeMs;
            if (seeds.isFollowed(key)) {
                ctx.output(Routes.HOPS_TO_CONTEXT, h); // the walkers stand on the followed user
            } else {
                h.transitionShare = share;
                if (share > 0 && exclude.length > 0) {
                    h.exclude = exclude; // the transitions hop skips them
                }
                out.collect(h);
            }
            hopsOut.inc();
        }
    }

    /**
     * The plan's transition share: its own, else the job's; all of it when the plan only asks for
     * transitions.
     */
    private float transitionShare(Plan plan) {
        if (plan.walkWeight <= 0 && plan.transitionsWeight > 0) {
            return 1f;
        }
        return (float)
                (plan.transitionShare >= 0 ? plan.transitionShare : cfg.walk.transitionShare);
    }

    /** {@code h} with the deadline of the request being started. */
    private Hop stamped(Hop h) {
        h.deadline = deadline;
        return h;
    }

    /** An inspect request: report the profile, then pass the question on to the other steps. */
    private void inspect(Request r, Context ctx, Collector<Hop> out) throws Exception {
        long request = NodeIds.hash(r.requestId);
        long node = r.seedNode();
        RequestContext rc = context(r, 0, defaultPlan);
        rc.plan = null;
        rc.inspect = r.inspect;
        rc.exclude = new long[0];
        rc.probes = 4; // a part from each of Seed, Item, Context and Score
        ctx.output(Routes.TO_RANK, RankInput.context(request, rc));
        ObjectNode profile = Inspection.object();
        profile.put("key", Inspection.hex(node));
        String[] names = {"behaviour", "dislikes", "impressions", "follows"};
        EdgeLog[] logs = {behaviour, negative, served, follows};
        for (int i = 0; i < logs.length; i++) {
            profile.set(
                    names[i],
                    Inspection.log(logs[i].read(edges), edges, cfg.graph.halfLifeMs, r.ts));
        }
        ctx.output(Routes.TO_RANK, Inspection.part(request, "seed", profile));
        out.collect(Hop.inspect(request, node, r.ts));
    }

    /**
     * Trending items the plan asks for: from its configured categories (straight to Context), or
     * else from the categories of the strongest seed items (through Item, which knows them).
     * Returns the trend units asked for; sends the probes only when {@code send}.
     */
    private int trendProbes(
            long request,
            long now,
            Plan plan,
            int[] order,
            Context ctx,
            Collector<Hop> out,
            boolean send) {
        int units = neighbourProbes(request, now, plan, order, out, send);
        if (!(plan.trendingWeight > 0)) {
            return units;
        }
        int per = plan.trendingPerCategory;
        if (plan.trendingCategories != null) {
            for (String c : plan.trendingCategories) {
                long key = NodeIds.hash(NodeIds.category(c));
                if (send) {
                    ctx.output(Routes.HOPS_TO_CONTEXT, trendProbe(request, key, per, now));
                }
                units += per;
            }
        } else {
            int m = 0;
            for (int j = 0; j < order.length && m < TREND_SEEDS; j++) {
                long key = seeds.key(order[j]);
                if (seeds.isFollowed(key)) {
                    continue;
                }
                if (send) {
                    out.collect(trendProbe(request, key, per, now));
                }
                units += per;
                m++;
            }
        }
        return units;
    }

    /**
     * Embedding neighbours of the strongest seed items (through Item, which knows their vector
     * buckets).
     */
    private int neighbourProbes(
            long request, long now, Plan plan, int[] order, Collector<Hop> out, boolean send) {
        if (!(plan.embeddingWeight > 0)) {
            return 0;
        }
        int units = 0;
        int m = 0;
        for (int j = 0; j < order.length && m < TREND_SEEDS; j++) {
            long key = seeds.key(order[j]);
            if (seeds.isFollowed(key)) {
                continue;
            }
            if (send) {
                out.collect(stamped(Hop.neighbourProbe(request, key, plan.embeddingPerSeed, now)));
            }
            units += plan.embeddingPerSeed;
            m++;
        }
        return units;
    }

    private Hop trendProbe(long request, long node, int units, long now) {
        return stamped(Hop.trendProbe(request, node, units, now));
    }

    private RequestContext context(Request r, int walkers, Plan plan) {
        RequestContext rc = new RequestContext();
        rc.requestId = r.requestId;
        rc.user = r.user;
        rc.item = r.item;
        rc.channel = r.channel;
        rc.k = r.k > 0 ? Math.min(r.k, cfg.rank.maxK) : cfg.rank.defaultK;
        rc.ts = r.ts;
        rc.walkers = walkers;
        rc.ingestedAtMs = r.ingestedAtMs;
        rc.timeoutMs = r.timeoutMs > 0 ? r.timeoutMs : cfg.walk.timeoutMs;
        rc.candidates = r.hasCandidates() ? r.candidates : null;
        rc.plan = plan;
        return rc;
    }

    private void readInto(EdgeLog log, Edges into) throws Exception {
        log.read(into);
        stateReads.add(log.lastReads());
    }

    private void ensure(int n) {
        if (weights.length < n) {
            weights = new double[n];
            counts = new int[n];
        }
    }

    /** A dislike weighs as much as the average seed: one dislike cancels about one seed's pull. */
    private double dislikeWeight(int seedCount) {
        double total = 0;
        for (int j = 0; j < seedCount; j++) {
            total += weights[j];
        }
        return total / seedCount;
    }
}
