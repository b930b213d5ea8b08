package io.walkstream.walk;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import io.walkstream.config.WalkConfig;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;

/**
 * Holds walkers (or requests) until the event watermark has passed their request's timestamp, so
 * a step reads a node's state only when every event up to that time has arrived
 * ({@code walk.alignment: WATERMARK}). Held messages wait in keyed list state (an append, O(1) on
 * both backends) with an event-time timer at the request's timestamp. With
 * {@code END_OF_INPUT}, messages wait for the end of the bounded event input instead: the watermark
 * {@link #END_OF_EVENTS}, which every step reaches once the events have ended — requests and control
 * streams only ever declare that much, so a request source that stays open (an evaluation feeding
 * requests in waves) does not hold walkers back. With alignment off, every message passes straight
 * through.
 */
final class WatermarkGate<T> {
    /**
     * The watermark meaning "the event input has ended": just below the end of time, the most that
     * request and control streams ever declare ({@link Watermarks}), reached when every event source
     * has finished.
     */
    static final long END_OF_EVENTS = Long.MAX_VALUE - 1;

    private final boolean enabled;
    private final ListState<T> held;
    private final ToLongFunction<T> timestamp;

    WatermarkGate(RuntimeContext ctx, String name, Class<T> type, ToLongFunction<T> timestamp, WalkConfig.Alignment alignment) {
        this.enabled = alignment != WalkConfig.Alignment.NONE;
        this.timestamp = alignment == WalkConfig.Alignment.END_OF_INPUT ? msg -> END_OF_EVENTS : timestamp;
        this.held = enabled ? ctx.getListState(new ListStateDescriptor<>(name + "-held", TypeInformation.of(type))) : null;
    }

    /** True when the message may be processed now; otherwise it is held until its timer. */
    boolean admit(T msg, TimerService timers) throws Exception {
        long ts = timestamp.applyAsLong(msg);
        if (!enabled || timers.currentWatermark() >= ts) {
            return true;
        }
        held.add(msg);
        timers.registerEventTimeTimer(ts);
        return false;
    }

    /** On an event-time timer: removes and returns the held messages now due (timestamp ≤ watermark). */
    List<T> release(long watermark) throws Exception {
        if (!enabled) {
            return List.of();
        }
        Iterable<T> all = held.get();
        if (all == null) {
            return List.of();
        }
        List<T> due = new ArrayList<>();
        List<T> later = new ArrayList<>();
        for (T m : all) {
            (timestamp.applyAsLong(m) <= watermark ? due : later).add(m);
        }
        if (due.isEmpty()) {
            return due;
        }
        if (later.isEmpty()) {
            held.clear();
        } else {
            held.update(later);
        }
        return due;
    }
}
