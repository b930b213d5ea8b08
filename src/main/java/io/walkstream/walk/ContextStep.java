package io.walkstream.walk;

import io.walkstream.config.JobConfig;
import io.walkstream.config.WalkConfig;
import io.walkstream.graph.EdgeLog;
import io.walkstream.graph.EdgeWeights;
import io.walkstream.graph.Edges;
import io.walkstream.graph.KeyedSums;
import io.walkstream.graph.NeighbourSampler;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Step 3, keyed by context (a user, or a category, brand or tag). Holds context → item adjacency:
 * a ring buffer of the items the user recently interacted with, or the items recently given the
 * attribute. Walkers move to an item chosen by edge weight and are sent, tagged with this context,
 * to Score.
 */
public class ContextStep extends KeyedCoProcessFunction<Long, GraphUpdate, Hop, Hop> {
    static final long SALT = 0xc0e7;

    private final JobConfig cfg;

    private transient EdgeLog items;
    private transient WatermarkGate<Hop> gate;
    private transient Edges edges;
    private transient NeighbourSampler sampler;
    private transient EdgeWeights weights;
    private transient StepCounter hopsIn;
    private transient StepCounter hopsOut;
    private transient StepCounter stateReads;
    private transient StepCounter absorbed;

    public ContextStep(JobConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void open(OpenContext openContext) {
        items = new EdgeLog(getRuntimeContext(), "context-items", cfg.graph.stateTtlMs, cfg.graph.halfLifeMs);
        gate = new WatermarkGate<>(getRuntimeContext(), "context", Hop.class, Hop::getTs,
                cfg.walk.alignment == WalkConfig.Alignment.WATERMARK);
        edges = new Edges();
        sampler = new NeighbourSampler();
        weights = new EdgeWeights(cfg.graph);
        hopsIn = StepCounter.register(getRuntimeContext(), "context.hopsIn");
        hopsOut = StepCounter.register(getRuntimeContext(), "context.hopsOut");
        stateReads = StepCounter.register(getRuntimeContext(), "context.stateReads");
        absorbed = StepCounter.register(getRuntimeContext(), "context.absorbed");
    }

    @Override
    public void processElement1(GraphUpdate u, Context ctx, Collector<Hop> out) throws Exception {
        items.append(u.nbr, u.action, u.ts, u.weight, cfg.graph.capacityFor(u.nodeKind));
    }

    @Override
    public void processElement2(Hop hop, Context ctx, Collector<Hop> out) throws Exception {
        hopsIn.inc();
        if (gate.admit(hop, ctx.timerService())) {
            walk(hop, ctx, out);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Hop> out) throws Exception {
        for (Hop hop : gate.release(timestamp)) {
            walk(hop, ctx, out);
        }
    }

    private void walk(Hop hop, Context ctx, Collector<Hop> out) throws Exception {
        items.read(edges);
        stateReads.add(items.lastReads());
        SplittableRandom rng = new SplittableRandom(NodeIds.mix(hop.seed, SALT, hop.node, hop.origin));
        KeyedSums next = sampler.sample(edges, hop.walkers, weights.at(hop.ts), rng);
        if (next == null) {
            absorbed.add(hop.walkers);
            ctx.output(Routes.TO_RANK, RankInput.absorbed(hop.request, hop.walkers));
            return;
        }
        for (int i = 0; i < next.size(); i++) {
            out.collect(Hop.walk(hop.request, hop.seed, next.key(i), (int) next.sum(i), hop.origin, hop.node, hop.ts));
        }
        hopsOut.add(next.size());
    }
}
