package io.walkstream.walk;

import io.walkstream.config.WalkConfig;
import io.walkstream.model.Event;
import io.walkstream.model.Request;
import java.time.Duration;
import org.apache.flink.api.common.eventtime.SerializableTimestampAssigner;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;

/**
 * Event time in walkstream is the events' time. Events carry a bounded-out-of-orderness watermark;
 * requests carry none of their own — they declare "no holdback" (a watermark just below the end of
 * time), so every step's watermark is the events' watermark. That is what {@link
 * WalkConfig.Alignment#WATERMARK} waits on, and why a request never delays event time.
 */
public final class Watermarks {
    private Watermarks() {}

    public static WatermarkStrategy<Event> events(WalkConfig walk) {
        return Watermarks.<Event>events(walk, (e, previous) -> e.ts);
    }

    /**
     * The events' watermark for any record type that carries an event's time (a Kafka source's
     * records).
     */
    public static <T> WatermarkStrategy<T> events(
            WalkConfig walk, SerializableTimestampAssigner<T> ts) {
        WatermarkStrategy<T> s =
                WatermarkStrategy.<T>forBoundedOutOfOrderness(
                                Duration.ofMillis(walk.outOfOrdernessMs))
                        .withTimestampAssigner(ts);
        // A bounded replay (END_OF_INPUT) has no idle partitions: a source paused by backpressure
        // must not be declared idle, or the requests' watermark alone would open the end-of-input
        // gates early.
        boolean idleness =
                walk.idleTimeoutMs > 0 && walk.alignment != WalkConfig.Alignment.END_OF_INPUT;
        return idleness ? s.withIdleness(Duration.ofMillis(walk.idleTimeoutMs)) : s;
    }

    public static WatermarkStrategy<Request> requests() {
        return WatermarkStrategy.<Request>forGenerator(ctx -> new NoHoldback<>())
                .withTimestampAssigner((r, previous) -> r.ts);
    }

    /** Control streams (strategy updates) never hold event time back either. */
    public static <T> WatermarkStrategy<T> noHoldback() {
        return WatermarkStrategy.forGenerator(ctx -> new NoHoldback<>());
    }

    /** Emits a watermark just below Long.MAX_VALUE: requests never hold event time back. */
    static final class NoHoldback<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(new Watermark(WatermarkGate.END_OF_EVENTS));
        }
    }
}
