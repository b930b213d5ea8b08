package io.walkstream.walk;

import io.walkstream.graph.NodeExpiry;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;

/**
 * A graph step's node expiry ({@code graph.stateTtlMs}; off at 0) with its counter {@code
 * <step>.nodesExpired}: what the steps share around {@link NodeExpiry}, so each only says what to
 * forget when a node goes.
 */
final class StepExpiry {
    private final NodeExpiry nodes;
    private final StepCounter expired;
    private final Runnable onCleared;

    /**
     * @param onCleared run when a node is cleared: drops what the step cached about its last node
     */
    StepExpiry(RuntimeContext ctx, String step, long ttlMs, Runnable onCleared) {
        this.nodes = NodeExpiry.of(ctx, step, ttlMs);
        this.expired = StepCounter.register(ctx, step + ".nodesExpired");
        this.onCleared = onCleared;
    }

    /** The node expiry for the step's state to be covered by; null when off. */
    NodeExpiry nodes() {
        return nodes;
    }

    /** Records a write to the current node. */
    void written(TimerService timers) throws Exception {
        if (nodes != null) {
            nodes.written(timers);
        }
    }

    /**
     * Handles the timer if it is expiry's — the steps' only processing-time timers — and returns
     * whether it was; event-time timers are the step's own.
     */
    boolean handles(TimeDomain domain, long timestamp, TimerService timers) throws Exception {
        if (domain != TimeDomain.PROCESSING_TIME) {
            return false;
        }
        if (nodes != null && nodes.fired(timestamp, timers)) {
            expired.inc();
            onCleared.run();
        }
        return true;
    }
}
