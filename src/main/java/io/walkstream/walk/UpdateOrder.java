package io.walkstream.walk;

import io.walkstream.config.WalkConfig;
import io.walkstream.model.GraphUpdate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.api.TimerService;

/**
 * Applies a node's graph updates in event-time order, whatever order they arrive in ({@code
 * walk.alignment} WATERMARK or END_OF_INPUT).
 *
 * <p>Why: a step receives a node's updates from several upstream subtasks (every source partition,
 * and Item's derived updates), and how those interleave depends on the run — above all after a
 * restore, when the sources replay a backlog and drain partitions at rates of their own. A bounded
 * ring keeps the last edges <em>applied</em>, decayed counters and vectors are float sums whose
 * rounding depends on the order of terms, and a walker released by the watermark would see every
 * later-stamped edge that happened to arrive before it. So an update waits in keyed state until the
 * step's watermark (the minimum of its event and walker inputs) passes its timestamp; the step's
 * event-time timers then apply the updates of each timestamp in a fixed order, before releasing the
 * walkers stamped at that time. Node state is then a function of the events up to the watermark,
 * and a walker at time t sees exactly the events stamped up to t.
 *
 * <p>Cost: per update one map read and write keyed by its timestamp and a timer (deduplicated per
 * node and timestamp) — O(1), whatever the node's degree. An update that arrives behind the
 * watermark (later than {@code walk.outOfOrdernessMs}, or after an idle partition was skipped) is
 * applied at once and counted in {@code <step>.lateUpdates}: only those can make a replay differ.
 * With {@code walk.alignment: NONE} updates apply on arrival (lowest latency, not replayable).
 */
final class UpdateOrder {
    /**
     * A total order on the updates of one node and timestamp: equal updates are interchangeable, so
     * applying them in this order gives the same state from any arrival order.
     */
    static final Comparator<GraphUpdate> CANONICAL =
            Comparator.comparingLong((GraphUpdate u) -> u.ts)
                    .thenComparingInt(u -> u.kind)
                    .thenComparingLong(u -> u.nbr)
                    .thenComparingInt(u -> u.action)
                    .thenComparingInt(u -> Float.floatToIntBits(u.weight))
                    .thenComparingInt(u -> u.nodeKind)
                    .thenComparingInt(u -> Arrays.hashCode(u.attrs))
                    .thenComparingInt(u -> Arrays.hashCode(u.vector))
                    .thenComparing(u -> u.id, Comparator.nullsFirst(Comparator.naturalOrder()))
                    .thenComparing(
                            u ->
                                    Objects.toString(u.model, "")
                                            + '\0'
                                            + Objects.toString(u.category, "")
                                            + '\0'
                                            + Objects.toString(u.brand, ""));

    private final boolean enabled;
    private final MapState<Long, List<GraphUpdate>> held;
    private final StepCounter late;

    /**
     * @param step the step's name: prefix of its state ({@code <step>-pending}) and counter
     */
    UpdateOrder(RuntimeContext ctx, String step, WalkConfig.Alignment alignment) {
        this.enabled = alignment != WalkConfig.Alignment.NONE;
        this.held =
                enabled
                        ? ctx.getMapState(
                                new MapStateDescriptor<>(
                                        step + "-pending",
                                        Types.LONG,
                                        new ListTypeInfo<>(TypeInformation.of(GraphUpdate.class))))
                        : null;
        this.late = enabled ? StepCounter.register(ctx, step + ".lateUpdates") : null;
    }

    /**
     * True when the update is to be applied now; otherwise it is held until the timer at its
     * timestamp.
     */
    boolean admit(GraphUpdate u, TimerService timers) throws Exception {
        if (!enabled) {
            return true;
        }
        if (u.ts <= timers.currentWatermark()) {
            late.inc();
            return true;
        }
        List<GraphUpdate> at = held.get(u.ts);
        if (at == null) {
            at = new ArrayList<>(2);
            timers.registerEventTimeTimer(u.ts);
        }
        at.add(u);
        held.put(u.ts, at);
        return false;
    }

    /**
     * On the event-time timer at {@code timestamp}: the updates held for it, in {@link #CANONICAL}
     * order.
     */
    List<GraphUpdate> release(long timestamp) throws Exception {
        if (!enabled) {
            return List.of();
        }
        List<GraphUpdate> due = held.get(timestamp);
        if (due == null) {
            return List.of();
        }
        held.remove(timestamp);
        due.sort(CANONICAL);
        return due;
    }
}
