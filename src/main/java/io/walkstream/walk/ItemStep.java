package io.walkstream.walk;

import io.walkstream.config.JobConfig;
import io.walkstream.config.WalkConfig;
import io.walkstream.graph.AttributeSet;
import io.walkstream.graph.EdgeLog;
import io.walkstream.graph.EdgeWeights;
import io.walkstream.graph.Edges;
import io.walkstream.graph.KeyedSums;
import io.walkstream.graph.NeighbourSampler;
import io.walkstream.model.Action;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import java.util.SplittableRandom;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Step 2, keyed by item. Holds item → context adjacency: a ring buffer of the users who recently
 * interacted with the item, and its attribute contexts (category, brand, tags). Walkers standing
 * on the item move to a context chosen by edge weight; an item with no visible edge absorbs them.
 *
 * <p>Item metadata arrives here first: the step diffs the attribute set and forwards only new
 * item–attribute edges to Context and Score, so re-sent metadata never duplicates edges.
 */
public class ItemStep extends KeyedCoProcessFunction<Long, GraphUpdate, Hop, Hop> {
    static final long SALT = 0x17e3;
    private static final byte ATTRIBUTE = Action.ATTRIBUTE.code();

    private final JobConfig cfg;

    private transient EdgeLog users;
    private transient ValueState<AttributeSet> attributes;
    private transient WatermarkGate<Hop> gate;
    private transient Edges edges;
    private transient NeighbourSampler sampler;
    private transient EdgeWeights weights;
    private transient StepCounter hopsIn;
    private transient StepCounter hopsOut;
    private transient StepCounter stateReads;
    private transient StepCounter absorbed;

    public ItemStep(JobConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void open(OpenContext openContext) {
        users = new EdgeLog(getRuntimeContext(), "item-users", cfg.graph.stateTtlMs, cfg.graph.halfLifeMs);
        ValueStateDescriptor<AttributeSet> ad = new ValueStateDescriptor<>("item-attributes", TypeInformation.of(AttributeSet.class));
        if (cfg.graph.stateTtlMs > 0) {
            ad.enableTimeToLive(StateTtl.of(cfg.graph.stateTtlMs));
        }
        attributes = getRuntimeContext().getState(ad);
        gate = new WatermarkGate<>(getRuntimeContext(), "item", Hop.class, Hop::getTs,
                cfg.walk.alignment == WalkConfig.Alignment.WATERMARK);
        edges = new Edges();
        sampler = new NeighbourSampler();
        weights = new EdgeWeights(cfg.graph);
        hopsIn = StepCounter.register(getRuntimeContext(), "item.hopsIn");
        hopsOut = StepCounter.register(getRuntimeContext(), "item.hopsOut");
        stateReads = StepCounter.register(getRuntimeContext(), "item.stateReads");
        absorbed = StepCounter.register(getRuntimeContext(), "item.absorbed");
    }

    @Override
    public void processElement1(GraphUpdate u, Context ctx, Collector<Hop> out) throws Exception {
        if (u.kind == GraphUpdate.EDGE) {
            users.append(u.nbr, u.action, u.ts, u.weight, cfg.graph.itemCapacity);
        } else if (u.kind == GraphUpdate.ATTRIBUTES) {
            AttributeSet set = attributes.value();
            if (set == null) set = new AttributeSet();
            long[] added = set.replace(u.attrs, u.ts);
            attributes.update(set);
            for (long attr : added) {
                ctx.output(Routes.TO_CONTEXT, GraphUpdate.edge(attr, GraphUpdate.ATTRIBUTE_NODE, u.node, Action.ATTRIBUTE, u.ts, 1f));
                GraphUpdate facts = GraphUpdate.edge(u.node, GraphUpdate.ITEM_NODE, attr, Action.ATTRIBUTE, u.ts, 1f);
                facts.id = u.id;
                ctx.output(Routes.TO_SCORE, facts);
            }
        } else {
            throw new IllegalStateException("Item got update kind " + u.kind);
        }
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
        users.read(edges);
        AttributeSet set = attributes.value();
        stateReads.add(users.lastReads() + 1);
        if (set != null) {
            for (int i = 0; i < set.keys.length; i++) {
                edges.add(set.keys[i], ATTRIBUTE, set.since[i], 1f);
            }
        }
        SplittableRandom rng = new SplittableRandom(NodeIds.mix(hop.seed, SALT, hop.node, hop.origin));
        KeyedSums next = sampler.sample(edges, hop.walkers, weights.at(hop.ts), rng);
        if (next == null) {
            absorbed.add(hop.walkers);
            ctx.output(Routes.TO_RANK, RankInput.absorbed(hop.request, hop.walkers));
            return;
        }
        for (int i = 0; i < next.size(); i++) {
            out.collect(Hop.walk(hop.request, hop.seed, next.key(i), (int) next.sum(i), hop.origin, 0, hop.ts));
        }
        hopsOut.add(next.size());
    }
}
