package io.walkstream.walk;

import io.walkstream.config.JobConfig;
import io.walkstream.graph.Decay;
import io.walkstream.graph.EdgeLog;
import io.walkstream.graph.Edges;
import io.walkstream.graph.KeyedSums;
import io.walkstream.graph.SystematicSampler;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import io.walkstream.model.Request;
import io.walkstream.model.RequestContext;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Step 1, keyed by user. Holds the user's profile — behaviour sequence (a ring buffer of recent
 * item edges), dislikes and hides, impressions, follows — and starts every walk: it turns recent
 * behaviour into a seed distribution (action weight × time decay), splits the request's walkers
 * over the seeds, and sends
 * <ul>
 *   <li>walkers for seed items to the Item step (main output),</li>
 *   <li>walkers for followed users straight to the Context step (they stand on those users),</li>
 *   <li>probes to Score for the seeds' vectors (the user vector) and the candidates' facts,</li>
 *   <li>the request context to Rank: walkers and probes to wait for, and what to exclude.</li>
 * </ul>
 * Item-to-item requests start here too: keyed by their user if they name one (whose history is
 * then excluded), by the item otherwise; their only seed is the item.
 */
public class SeedStep extends KeyedCoProcessFunction<Long, GraphUpdate, Request, Hop> {
    /** Salt for this step's random generator, so steps draw independent numbers from one request seed. */
    static final long SALT = 0x5eed;

    private final JobConfig cfg;

    private transient EdgeLog behaviour;
    private transient EdgeLog negative;
    private transient EdgeLog served;
    private transient EdgeLog follows;
    private transient WatermarkGate<Request> gate;
    private transient Edges edges;
    private transient KeyedSums seeds;
    private transient KeyedSums followKeys;
    private transient double[] weights;
    private transient int[] counts;
    private transient StepCounter requestsIn;
    private transient StepCounter hopsOut;
    private transient StepCounter probesOut;
    private transient StepCounter stateReads;

    public SeedStep(JobConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void open(OpenContext openContext) {
        long ttl = cfg.graph.stateTtlMs;
        behaviour = new EdgeLog(getRuntimeContext(), "seed-behaviour", ttl, cfg.graph.halfLifeMs);
        negative = new EdgeLog(getRuntimeContext(), "seed-negative", ttl, cfg.graph.halfLifeMs);
        served = new EdgeLog(getRuntimeContext(), "seed-served", ttl, cfg.graph.halfLifeMs);
        follows = new EdgeLog(getRuntimeContext(), "seed-follows", ttl, cfg.graph.halfLifeMs);
        gate = new WatermarkGate<>(getRuntimeContext(), "seed", Request.class, Request::getTs, cfg.walk.alignment);
        edges = new Edges();
        seeds = new KeyedSums(64);
        followKeys = new KeyedSums(8);
        weights = new double[64];
        counts = new int[64];
        requestsIn = StepCounter.register(getRuntimeContext(), "seed.requests");
        hopsOut = StepCounter.register(getRuntimeContext(), "seed.hopsOut");
        probesOut = StepCounter.register(getRuntimeContext(), "seed.probesOut");
        stateReads = StepCounter.register(getRuntimeContext(), "seed.stateReads");
    }

    @Override
    public void processElement1(GraphUpdate u, Context ctx, Collector<Hop> out) throws Exception {
        switch (u.kind) {
            case GraphUpdate.EDGE -> behaviour.append(u.nbr, u.action, u.ts, u.weight, cfg.graph.userCapacity);
            case GraphUpdate.NEGATIVE -> negative.append(u.nbr, u.action, u.ts, 1f, cfg.graph.feedbackCapacity);
            case GraphUpdate.SERVED -> served.append(u.nbr, u.action, u.ts, 1f, cfg.graph.feedbackCapacity);
            case GraphUpdate.FOLLOW -> follows.append(u.nbr, u.action, u.ts, 1f, cfg.graph.followCapacity);
            default -> throw new IllegalStateException("Seed got update kind " + u.kind);
        }
    }

    @Override
    public void processElement2(Request r, Context ctx, Collector<Hop> out) throws Exception {
        if (gate.admit(r, ctx.timerService())) {
            start(r, ctx, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Hop> out) throws Exception {
        for (Request r : gate.release(timestamp)) {
            start(r, ctx, out);
        }
    }

    private void start(Request r, Context ctx, Collector<Hop> out) throws Exception {
        requestsIn.inc();
        long request = NodeIds.hash(r.requestId);
        long rngSeed = request;
        long now = r.ts;
        int walkers = r.walkers > 0 ? Math.min(r.walkers, cfg.walk.maxWalkers) : cfg.walk.walkers;
        RequestContext rc = context(r, walkers);

        // Seeds, and what the user already has: their whole history, dislikes and hides.
        seeds.clear();
        followKeys.clear();
        ExclusionBuilder exclude = new ExclusionBuilder();
        if (r.user != null) {
            readInto(behaviour, edges);
            for (int i = 0; i < edges.size; i++) exclude.add(edges.nbr[i]);
            if (!r.isItemToItem()) {
                addBehaviourSeeds(now);
                readInto(follows, edges);
                addFollowSeeds(now);
            }
            readInto(negative, edges);
            for (int i = 0; i < edges.size; i++) {
                exclude.add(edges.nbr[i]);
                int idx = seeds.indexOf(edges.nbr[i]);
                if (idx >= 0) seeds.add(edges.nbr[i], -seeds.sum(idx)); // never seed from a disliked item
            }
        }
        if (r.isItemToItem()) {
            long item = NodeIds.hash(r.item);
            seeds.add(item, 1.0);
            exclude.add(item);
        }
        if (r.exclude != null) {
            for (String x : r.exclude) exclude.add(NodeIds.hash(x));
        }
        rc.exclude = exclude.build();

        int[] order = strongest(seeds, Math.min(seeds.size(), cfg.walk.maxSeeds));
        int n = order.length;
        ensure(n);
        for (int j = 0; j < n; j++) weights[j] = seeds.sum(order[j]);
        SplittableRandom rng = new SplittableRandom(NodeIds.mix(rngSeed, SALT));
        boolean placed = n > 0 && SystematicSampler.place(weights, n, walkers, rng, counts);

        // Probes go out with the context so Rank knows how many answers to wait for.
        int probes = 0;
        for (int j = 0; j < n; j++) {
            long key = seeds.key(order[j]);
            if (followKeys.indexOf(key) < 0) {
                ctx.output(Routes.HOPS_TO_SCORE, Hop.probe(Hop.SEED_PROBE, request, key, (float) weights[j], now));
                probes++;
            }
        }
        if (rc.candidates != null) {
            for (String c : rc.candidates) {
                ctx.output(Routes.HOPS_TO_SCORE, Hop.probe(Hop.CANDIDATE_PROBE, request, NodeIds.hash(c), 0f, now));
                probes++;
            }
        }
        probesOut.add(probes);
        rc.probes = probes;
        rc.absorbedAtSeed = placed ? 0 : walkers;
        ctx.output(Routes.TO_RANK, RankInput.context(request, rc));

        if (placed) {
            for (int j = 0; j < n; j++) {
                if (counts[j] == 0) continue;
                long key = seeds.key(order[j]);
                Hop h = Hop.walk(request, rngSeed, key, counts[j], key, 0, now);
                if (followKeys.indexOf(key) >= 0) {
                    ctx.output(Routes.HOPS_TO_CONTEXT, h); // the walkers stand on the followed user
                } else {
                    out.collect(h);
                }
                hopsOut.inc();
            }
        }
    }

    private RequestContext context(Request r, int walkers) {
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
        return rc;
    }

    private void readInto(EdgeLog log, Edges into) throws Exception {
        log.read(into);
        stateReads.add(log.lastReads());
    }

    /** Seed weight per item: Σ action weight × event weight × decay over the user's recent edges. */
    private void addBehaviourSeeds(long now) {
        long halfLife = cfg.graph.halfLifeMs;
        for (int i = 0; i < edges.size; i++) {
            double w = cfg.graph.weight(edges.action[i]) * edges.weight[i] * Decay.factor(now, edges.ts[i], halfLife);
            if (w > 0) seeds.add(edges.nbr[i], w);
        }
    }

    /** Followed users seed walks that start at the Context step (follows do not decay). */
    private void addFollowSeeds(long now) {
        float w = cfg.graph.followWeight;
        for (int i = 0; i < edges.size; i++) {
            if (edges.ts[i] <= now && w > 0) {
                seeds.add(edges.nbr[i], w);
                followKeys.add(edges.nbr[i], 1);
            }
        }
    }

    /** Indices of the n heaviest seeds (ties by key, for determinism); zero-weight seeds sort last. */
    static int[] strongest(KeyedSums s, int n) {
        Integer[] idx = new Integer[s.size()];
        for (int i = 0; i < idx.length; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> {
            int c = Double.compare(s.sum(b), s.sum(a));
            return c != 0 ? c : Long.compare(s.key(a), s.key(b));
        });
        int m = 0;
        int[] out = new int[n];
        for (int i = 0; i < n && s.sum(idx[i]) > 0; i++) out[m++] = idx[i];
        return Arrays.copyOf(out, m);
    }

    private void ensure(int n) {
        if (weights.length < n) {
            weights = new double[n];
            counts = new int[n];
        }
    }

    /** Collects keys, then sorts and dedupes them (Rank binary-searches the result). */
    private static final class ExclusionBuilder {
        private long[] keys = new long[16];
        private int size;

        void add(long k) {
            if (size == keys.length) keys = Arrays.copyOf(keys, size * 2);
            keys[size++] = k;
        }

        long[] build() {
            long[] k = Arrays.copyOf(keys, size);
            Arrays.sort(k);
            int m = 0;
            for (int i = 0; i < k.length; i++) {
                if (i == 0 || k[i] != k[i - 1]) k[m++] = k[i];
            }
            return Arrays.copyOf(k, m);
        }
    }
}
