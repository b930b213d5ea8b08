package io.walkstream.walk;

import io.walkstream.graph.EdgeLog;
import org.apache.flink.api.common.functions.RuntimeContext;

/**
 * Counts what a step's ring buffers hold: {@code <step>.nodes} (nodes with a main buffer) and
 * {@code <step>.edgesStored} (appends that did not overwrite an older edge). The memory benchmark
 * divides state bytes by these; an operator sees from them how full the rings are.
 */
final class StoredEdges {
    private final StepCounter nodes;
    private final StepCounter edges;

    StoredEdges(RuntimeContext ctx, String step) {
        nodes = StepCounter.register(ctx, step + ".nodes");
        edges = StepCounter.register(ctx, step + ".edgesStored");
    }

    /**
     * Records one append to the node's main buffer that left it with {@code degree} edges appended
     * in all.
     */
    void appended(long degree, int capacity) {
        if (degree == 1) {
            nodes.inc();
        }
        extraAppended(degree, capacity);
    }

    /** Records one append to another of the node's buffers (a user's dislikes, say). */
    void extraAppended(long degree, int capacity) {
        if (degree <= EdgeLog.roundCapacity(capacity)) {
            edges.inc();
        }
    }
}
