package io.walkstream.walk;

import io.walkstream.config.JobConfig;
import io.walkstream.graph.EdgeLog;
import io.walkstream.graph.Edges;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import org.apache.flink.util.Collector;

/**
 * Step 3, keyed by context (a user, or a category, brand or tag). Holds context → item adjacency:
 * a ring buffer of the items the user recently interacted with, or the items recently given the
 * attribute. Walkers move to an item chosen by edge weight and are sent, tagged with this context,
 * to Score.
 */
public class ContextStep extends HopStep {
    private transient EdgeLog items;

    public ContextStep(JobConfig cfg) {
        super(cfg, "context", 0xc0e7);
    }

    @Override
    void openGraphState() {
        items = new EdgeLog(getRuntimeContext(), "context-items", cfg.graph.stateTtlMs, cfg.graph.halfLifeMs);
    }

    @Override
    public void processElement1(GraphUpdate u, Context ctx, Collector<Hop> out) throws Exception {
        items.append(u.nbr, u.action, u.ts, u.weight, cfg.graph.capacityFor(u.nodeKind));
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
}
