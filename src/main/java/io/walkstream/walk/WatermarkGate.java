package io.walkstream.walk;

import io.walkstream.config.WalkConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.streaming.api.TimerService;

/**
 * Holds walkers (or requests) until the event watermark has passed their request's timestamp, so a
 * step reads a node's state only when every event up to that time has arrived ({@code
 * walk.alignment: WATERMARK}). Held messages wait in keyed map state under their timestamp, with an
 * event-time timer at it: holding one is a read and a write of that timestamp's entry, and a timer
 * releases just its own entry — a node where many requests wait (a popular item) costs no more per
 * request than a quiet one. With {@code END_OF_INPUT}, messages wait for the end of the bounded
 * event input instead: the watermark {@link #END_OF_EVENTS}, which every step reaches once the
 * events have ended — requests and control streams only ever declare that much, so a request source
 * that stays open (an evaluation feeding requests in waves) does not hold walkers back. With
 * alignment off, every message passes straight through.
 */
final class WatermarkGate<T> {
    /**
     * The watermark meaning "the event input has ended": just below the end of time, the most that
     * request and control streams ever declare ({@link Watermarks}), reached when every event
     * source has finished.
     */
    static final long END_OF_EVENTS = Long.MAX_VALUE - 1;

    private final boolean enabled;
    private final MapState<Long, List<T>> held;

    /**
     * Where messages were held before they were keyed by timestamp (one list per node, read whole
     * by every timer): read on release so a savepoint taken then still releases what it holds.
     */
    private final ListState<T> legacyHeld;

    private final ToLongFunction<T> timestamp;

    WatermarkGate(
            RuntimeContext ctx,
            String name,
            Class<T> type,
            ToLongFunction<T> timestamp,
            WalkConfig.Alignment alignment) {
        this.enabled = alignment != WalkConfig.Alignment.NONE;
        this.timestamp =
                alignment == WalkConfig.Alignment.END_OF_INPUT ? msg -> END_OF_EVENTS : timestamp;
        TypeInformation<T> info = TypeInformation.of(type);
        this.held =
                enabled
                        ? ctx.getMapState(
                                new MapStateDescriptor<>(
                                        name + "-held-at", Types.LONG, new ListTypeInfo<>(info)))
                        : null;
        this.legacyHeld =
                enabled ? ctx.getListState(new ListStateDescriptor<>(name + "-held", info)) : null;
    }

    /** True when the message may be processed now; otherwise it is held until its timer. */
    boolean admit(T msg, TimerService timers) throws Exception {
        long ts = timestamp.applyAsLong(msg);
        if (!enabled || timers.currentWatermark() >= ts) {
            return true;
        }
        List<T> at = held.get(ts);
        if (at == null) {
            at = new ArrayList<>(2);
            timers.registerEventTimeTimer(ts);
        }
        at.add(msg);
        held.put(ts, at);
        return false;
    }

    /**
     * On the event-time timer at {@code watermark}: removes and returns the messages held for it.
     */
    List<T> release(long watermark) throws Exception {
        if (!enabled) {
            return List.of();
        }
        List<T> due = held.get(watermark);
        if (due != null) {
            held.remove(watermark);
        } else {
            due = new ArrayList<>(0);
        }
        releaseLegacy(watermark, due);
        return due;
    }

    private void releaseLegacy(long watermark, List<T> due) throws Exception {
        Iterable<T> all = legacyHeld.get();
        if (all == null) {
            return;
        }
        List<T> later = new ArrayList<>();
        int before = due.size();
        for (T m : all) {
            (timestamp.applyAsLong(m) <= watermark ? due : later).add(m);
        }
        if (due.size() == before) {
            return;
        }
        if (later.isEmpty()) {
            legacyHeld.clear();
        } else {
            legacyHeld.update(later);
        }
    }
}
