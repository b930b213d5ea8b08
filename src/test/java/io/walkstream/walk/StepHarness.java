package io.walkstream.walk;

import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.util.OutputTag;

/**
 * One walk step in Flink's keyed two-input operator harness: graph updates on input 1 keyed by
 * their node, messages on input 2 keyed as the job keys them, on a state backend the test picks.
 */
final class StepHarness {
    private StepHarness() {}

    static List<StateBackend> backends() {
        return List.of(new HashMapStateBackend(), new EmbeddedRocksDBStateBackend());
    }

    static <I, O> KeyedTwoInputStreamOperatorTestHarness<Long, GraphUpdate, I, O> open(
            KeyedCoProcessFunction<Long, GraphUpdate, I, O> step,
            KeySelector<I, Long> key,
            StateBackend backend)
            throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(step),
                        (GraphUpdate u) -> u.node,
                        key,
                        Types.LONG);
        h.setStateBackend(backend);
        h.open();
        return h;
    }

    /**
     * A hop step (Item, Context, Score) on the heap backend, walkers keyed by the node they stand
     * on.
     */
    static <O> KeyedTwoInputStreamOperatorTestHarness<Long, GraphUpdate, Hop, O> open(
            KeyedCoProcessFunction<Long, GraphUpdate, Hop, O> step) throws Exception {
        return open(step, (Hop x) -> x.node, new HashMapStateBackend());
    }

    static <O> KeyedTwoInputStreamOperatorTestHarness<Long, GraphUpdate, Hop, O> open(
            KeyedCoProcessFunction<Long, GraphUpdate, Hop, O> step, StateBackend backend)
            throws Exception {
        return open(step, (Hop x) -> x.node, backend);
    }

    /** Sets the wall clock: processing time, which drives node expiry's timers. */
    static void clock(AbstractStreamOperatorTestHarness<?> h, long ms) throws Exception {
        h.setProcessingTime(ms);
    }

    /** The values sent to a side output so far (empty when none). */
    static <T> List<T> side(AbstractStreamOperatorTestHarness<?> h, OutputTag<T> tag) {
        var q = h.getSideOutput(tag);
        return q == null ? List.of() : q.stream().map(StreamRecord::getValue).toList();
    }

    /** Advances the watermark of both inputs (the operator's watermark is their minimum). */
    static void watermark(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ?> h, long ts)
            throws Exception {
        h.processWatermark1(new Watermark(ts));
        h.processWatermark2(new Watermark(ts));
    }

    static int walkers(List<Hop> hops) {
        return hops.stream().mapToInt(x -> x.walkers).sum();
    }
}
