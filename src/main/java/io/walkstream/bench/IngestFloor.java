package io.walkstream.bench;

import io.walkstream.model.Event;
import io.walkstream.model.NodeIds;
import java.util.function.LongConsumer;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;

/**
 * The floor under the ingest figure: the same shop events, from the same generator source on the
 * same mini cluster and checkpoint settings, through the smallest keyed Flink job that stores an
 * interaction at both its ends — one shuffle, and per end one keyed record and one {@code Long}
 * counter read and written (an item's metadata: its item end only). No graph, no walk state.
 *
 * <p>Why: the ingest target is a ratio to the in-process reference, and what a Flink job costs per
 * keyed record (serialization, the shuffle, a keyed state access, checkpoints) is paid before any
 * of the job's own work. This measures it on the same host in the same run, so the report can say
 * how much of the gap any design in Flink must leave.
 */
public final class IngestFloor {
    private IngestFloor() {}

    /**
     * @param perInteraction keyed records (and counters) per interaction: 2 stores it at its two
     *     ends; more stand for the job's further records (transition edges, trending, facts), each
     *     under a node of its own
     */
    public static IngestBenchmark.Result run(
            BenchSettings s, int perInteraction, LongConsumer progress) throws Exception {
        BenchLocal.reset(1, 1000);
        StreamExecutionEnvironment env = LocalJob.env(s);
        LocalJob.events(
                        env,
                        new ShopEvents(s.shop, s.seed, 0, false),
                        s.events,
                        RateLimiterStrategy.noOp())
                .flatMap(new Ends(perInteraction), Types.LONG)
                .name("floor-ends")
                .keyBy(k -> k, Types.LONG)
                .process(new CountPerNode())
                .name("floor-count")
                .sinkTo(new DiscardingSink<>())
                .name("floor-discard");
        return IngestBenchmark.untilDone(
                env,
                "walkstream bench: ingest floor",
                "Flink floor (" + perInteraction + " keyed counters per interaction)",
                "floor" + perInteraction,
                progress);
    }

    /**
     * The nodes an event is stored under, hashed as the job hashes them: an interaction's user and
     * item, then nodes derived from the item for the further records.
     */
    static final class Ends implements FlatMapFunction<Event, Long> {
        private final int perInteraction;

        Ends(int perInteraction) {
            this.perInteraction = perInteraction;
        }

        @Override
        public void flatMap(Event e, Collector<Long> out) {
            if (e.kind == Event.ITEM) {
                out.collect(NodeIds.hash(e.item));
                return;
            }
            long item = NodeIds.hash(e.kind == Event.FOLLOW ? e.followee : e.item);
            out.collect(NodeIds.hash(e.user));
            out.collect(item);
            for (int k = 2; k < perInteraction; k++) {
                out.collect(NodeIds.mix(item, k));
            }
        }
    }

    /** One counter per node, read and written for each record: the least keyed state work. */
    static final class CountPerNode extends KeyedProcessFunction<Long, Long, Long> {
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext ctx) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(Long node, Context ctx, Collector<Long> out) throws Exception {
            Long c = count.value();
            count.update(c == null ? 1L : c + 1);
        }
    }
}
