package io.walkstream.graph;

import io.walkstream.config.GraphConfig;
import io.walkstream.model.Action;

/**
 * The weight of a stored edge at a request's time: action weight × event weight × (floor + (1 −
 * floor) · 2^(-age/halfLife)) for interactions ({@code graph.decayFloor}: however old, an edge
 * keeps that share of its weight, so a request long after the data still weighs all of it, not just
 * the last few users); the configured constant for attribute edges (they do not age). An edge
 * stamped after the request's time is invisible (weight 0), so a replay sees what existed then.
 */
public final class EdgeWeights implements NeighbourSampler.EdgeWeight {
    private static final byte ATTRIBUTE = Action.ATTRIBUTE.code();

    private final GraphConfig graph;
    private long now;
    private float[] actionWeights;
    private long halfLifeMs;

    public EdgeWeights(GraphConfig graph) {
        this.graph = graph;
    }

    /** Sets the request time the next weights are computed for, with the job's weights. */
    public EdgeWeights at(long now) {
        return at(now, null, -1);
    }

    /** Sets the request time and a strategy's overrides (null / -1: the job's settings). */
    public EdgeWeights at(long now, float[] actionWeights, long halfLifeMs) {
        this.now = now;
        this.actionWeights = actionWeights;
        this.halfLifeMs = halfLifeMs >= 0 ? halfLifeMs : graph.halfLifeMs;
        return this;
    }

    @Override
    public double of(byte action, long ts, float weight) {
        if (ts > now) {
            return 0;
        }
        if (action == ATTRIBUTE) {
            return graph.attributeWeight;
        }
        float typeWeight = actionWeights != null ? actionWeights[action] : graph.weight(action);
        double floor = graph.decayFloor;
        return typeWeight * weight * (floor + (1 - floor) * Decay.factor(now, ts, halfLifeMs));
    }
}
