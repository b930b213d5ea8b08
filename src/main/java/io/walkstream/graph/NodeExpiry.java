package io.walkstream.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.State;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.TimerService;

/**
 * Drops a node's keyed state once the node has not been written for {@code ttlMs} (processing
 * time), by timers instead of Flink's state TTL.
 *
 * <p>Why: Flink's TTL wraps every value with a timestamp and, on the heap, sweeps part of the state
 * table on every state access; the ingest profile had that sweep as its largest item. Here each
 * node has one processing-time timer, armed at its first write and re-armed when it fires on a node
 * written since. A write costs one read of a long (and a put at most once per {@link #granularity}
 * ms), no timer work; a node expires between {@code ttlMs} and {@code ttlMs + granularity} after
 * its last write. Reads do not keep a node alive, as with the TTL it replaces ({@code
 * OnCreateAndWrite}).
 *
 * <p>State written by releases that used Flink's TTL restores into these descriptors (Flink 2.2
 * migrates TTL'd values on restore); its nodes have no timer yet, so {@link #adoptAll} arms one for
 * each, once, when the step's operator restores such state.
 */
public final class NodeExpiry {
    /** Implemented by a step whose node state expires. */
    public interface Owner {
        /** The step's expiry, or null when its state is kept forever ({@code ttlMs} 0). */
        NodeExpiry expiry();
    }

    private final long ttlMs;
    private final long granularity;
    private final ValueState<Long> lastWrite;
    private final List<State> cleared = new ArrayList<>();
    private final List<StateDescriptor<?, ?>> scanned = new ArrayList<>();

    /**
     * @param step the step's name, prefix of the state holding each node's last write
     * @param ttlMs how long a node lives after its last write; must be positive
     */
    public NodeExpiry(RuntimeContext ctx, String step, long ttlMs) {
        if (ttlMs <= 0) {
            throw new IllegalArgumentException("ttlMs must be positive, got " + ttlMs);
        }
        this.ttlMs = ttlMs;
        this.granularity = Math.max(1, Math.min(ttlMs / 64, 60_000));
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>(step + "-written", Types.LONG);
        this.lastWrite = ctx.getState(d);
    }

    /** An expiry for {@code ttlMs}, or null when it is 0 (nothing expires). */
    public static NodeExpiry of(RuntimeContext ctx, String step, long ttlMs) {
        return ttlMs > 0 ? new NodeExpiry(ctx, step, ttlMs) : null;
    }

    /** The value state of {@code d}, cleared when its node expires ({@code expiry} may be null). */
    public static <T> ValueState<T> valueState(
            RuntimeContext ctx, NodeExpiry expiry, ValueStateDescriptor<T> d) {
        ValueState<T> state = ctx.getState(d);
        return expiry == null ? state : expiry.covers(state, d);
    }

    /**
     * Clears {@code state} when a node expires; {@code d} is its descriptor when nodes may hold it
     * alone (so {@link #adoptAll} finds them), null when another covered state always goes with it.
     */
    public <S extends State> S covers(S state, StateDescriptor<?, ?> d) {
        cleared.add(state);
        if (d != null) {
            scanned.add(d);
        }
        return state;
    }

    /** Records a write to the current node at processing time {@code now}. */
    public void written(TimerService timers) throws Exception {
        long now = timers.currentProcessingTime();
        Long last = lastWrite.value();
        if (last == null) {
            timers.registerProcessingTimeTimer(now + ttlMs + granularity);
        } else if (now - last < granularity) {
            return;
        }
        lastWrite.update(now);
    }

    /**
     * On a processing-time timer at {@code timestamp}: clears the current node when it has not been
     * written for the TTL, otherwise arms the timer again. Returns whether it cleared the node.
     */
    public boolean fired(long timestamp, TimerService timers) throws Exception {
        Long last = lastWrite.value();
        if (last == null) {
            return false; // cleared already
        }
        long due = last + ttlMs + granularity;
        if (due > timestamp) {
            timers.registerProcessingTimeTimer(due);
            return false;
        }
        for (State s : cleared) {
            s.clear();
        }
        lastWrite.clear();
        return true;
    }

    /**
     * Arms a timer for every node of {@code backend} that has covered state and no expiry record
     * yet (state restored from a release that used Flink's TTL, or from a job run with {@code
     * ttlMs} 0), as if it had been written at {@code now}. Idempotent.
     *
     * @param register registers a processing-time timer for the backend's current key
     */
    public void adoptAll(KeyedStateBackend<Long> backend, long now, LongConsumer register)
            throws Exception {
        for (StateDescriptor<?, ?> d : scanned) {
            adopt(backend, d, now, register);
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void adopt(
            KeyedStateBackend<Long> backend, StateDescriptor d, long now, LongConsumer register)
            throws Exception {
        backend.applyToAllKeys(
                VoidNamespace.INSTANCE,
                VoidNamespaceSerializer.INSTANCE,
                d,
                (key, state) -> {
                    if (lastWrite.value() == null) {
                        lastWrite.update(now);
                        register.accept(now + ttlMs + granularity);
                    }
                });
    }
}
