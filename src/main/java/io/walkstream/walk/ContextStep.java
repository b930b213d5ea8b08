package io.walkstream.walk;

import io.walkstream.config.JobConfig;
import io.walkstream.graph.EdgeLog;
import io.walkstream.graph.Edges;
import io.walkstream.graph.NodeExpiry;
import io.walkstream.graph.Trending;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.RankInput;
import java.util.HashSet;
import java.util.Set;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

/**
 * Step 3, keyed by context (a user, or a category, brand or tag). Holds context → item adjacency: a
 * ring buffer of the items the user recently interacted with, or the items recently given the
 * attribute. This is the walk's last hop: walkers move on to items in proportion to edge weight —
 * as expected mass spread over up to {@code walk.lastHopFanout × walkers} items, with the integer
 * walkers placed among them — and are sent, tagged with this context, to Score.
 */
public class ContextStep extends HopStep {
    /**
     * Salt for this step's random generator (mixed with the request, node and seed of each walker
     * group).
     */
    public static final long SALT = 0xc0e7;

    private transient EdgeLog items;
    private transient StoredEdges stored;
    private transient ValueState<Trending> trending;

    public ContextStep(JobConfig cfg) {
        super(cfg, "context", SALT);
    }

    @Override
    void openGraphState() {
        items = new EdgeLog(getRuntimeContext(), "context-items", expiry(), cfg.graph.halfLifeMs);
        stored = new StoredEdges(getRuntimeContext(), "context");
        var td = new ValueStateDescriptor<>("context-trending", TypeInformation.of(Trending.class));
        trending = NodeExpiry.valueState(getRuntimeContext(), expiry(), td);
    }

    @Override
    void update(GraphUpdate u, Context ctx, Collector<Hop> out) throws Exception {
        updates.inc();
        if (u.kind == GraphUpdate.TREND) {
            Trending t = trending.value();
            if (t == null) {
                t = new Trending();
            }
            t.add(
                    u.nbr,
                    cfg.graph.weight(u.action) * u.weight,
                    u.ts,
                    cfg.graph.halfLifeMs,
                    cfg.graph.trendingCapacity);
            trending.update(t);
        } else {
            int capacity = cfg.graph.capacityFor(u.nodeKind);
            stored.appended(items.append(u.nbr, u.action, u.ts, u.weight, capacity), capacity);
        }
    }

    /**
     * The walk's last hop: expected mass to the items (Rao-Blackwellised), see {@link
     * HopStep#fanout}.
     */
    @Override
    int fanout() {
        return cfg.walk.lastHopFanout;
    }

    @Override
    int readEdges(Edges into) throws Exception {
        items.read(into);
        return items.lastReads();
    }

    @Override
    long via(Hop arriving) {
        return arriving.node;
    }

    /**
     * The bucket's most recent members (stamped by the request's time), one unit each, to Score —
     * the seed itself left out; units left over are absorbed.
     */
    @Override
    void neighbourProbe(Hop probe, Context ctx, Collector<Hop> out) throws Exception {
        Edges members = new Edges();
        items.read(members);
        Set<Long> sent = new HashSet<>();
        for (Integer i : members.newestFirst()) {
            if (sent.size() == probe.walkers) {
                break;
            }
            long item = members.nbr[i];
            if (members.ts[i] > probe.ts || item == probe.origin || !sent.add(item)) {
                continue;
            }
            out.collect(probe.neighbourAt(item, probe.node));
        }
        if (sent.size() < probe.walkers) {
            ctx.output(
                    Routes.TO_RANK,
                    RankInput.absorbedTrend(probe.request, probe.walkers - sent.size()));
        }
    }

    @Override
    void inspect(Hop probe, Context ctx, Collector<Hop> out) throws Exception {
        Edges edges = new Edges();
        var part = Inspection.object();
        part.set("items", Inspection.log(items.read(edges), edges, cfg.graph.halfLifeMs, probe.ts));
        Trending t = trending.value();
        var top = part.putArray("trending");
        if (t != null) {
            for (int i : t.top(Inspection.RECENT)) {
                top.addObject()
                        .put("node", Inspection.hex(t.items[i]))
                        .put("score", t.scoreAt(i, probe.ts, cfg.graph.halfLifeMs));
            }
        }
        ctx.output(Routes.TO_RANK, Inspection.part(probe.request, "context", part));
        out.collect(probe.inspectAt(probe.node, probe.node));
    }

    /**
     * The category's top items, one trend unit each, to Score; units left over (fewer trending
     * items than asked for) are absorbed. Trend scores count interactions up to now, decayed to the
     * request's time.
     */
    @Override
    void trendProbe(Hop probe, Context ctx, Collector<Hop> out) throws Exception {
        Trending t = trending.value();
        int sent = 0;
        if (t != null) {
            for (int i : t.top(probe.walkers)) {
                Hop h = probe.trendAt(t.items[i], probe.node);
                h.weight = (float) t.scoreAt(i, probe.ts, cfg.graph.halfLifeMs);
                out.collect(h);
                sent++;
            }
        }
        if (sent < probe.walkers) {
            ctx.output(
                    Routes.TO_RANK, RankInput.absorbedTrend(probe.request, probe.walkers - sent));
        }
    }
}
