package io.walkstream.io;

import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.OutputTag;

/** The side output every parser sends rejected records to, and its per-topic metric. */
public final class DeadLetters {
    public static final OutputTag<DeadLetter> TAG = new OutputTag<>("dead-letters") {};

    private DeadLetters() {}

    /**
     * {@code walkstream.deadLetters} with a {@code topic} label (Prometheus:
     * walkstream_deadLetters{topic="..."}).
     */
    public static Counter counter(RuntimeContext ctx, String topic) {
        return ctx.getMetricGroup()
                .addGroup("walkstream")
                .addGroup("topic", topic)
                .counter("deadLetters");
    }
}
