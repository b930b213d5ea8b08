package io.walkstream.jmh;

import io.walkstream.graph.EdgeLog;
import io.walkstream.graph.NodeExpiry;
import io.walkstream.model.Action;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ring buffer's append in real Flink keyed state (through Flink's operator test harness, whose
 * own per-record cost is included), on nodes already holding {@code degree} edges: the cost must
 * not grow with the degree. Heap and RocksDB, with and without node expiry (a 30-day TTL by timers,
 * {@link NodeExpiry}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EdgeLogBenchmark {
    @Param({"heap", "rocksdb"})
    public String backend;

    @Param({"16", "10000"})
    public int degree;

    @Param({"true", "false"})
    public boolean ttl;

    private KeyedOneInputStreamOperatorTestHarness<Long, Long, Long> harness;
    private long next;

    /** Appends the input's neighbour to the log of key (input % 64). */
    static final class Append extends KeyedProcessFunction<Long, Long, Long> {
        final boolean ttl;
        transient NodeExpiry expiry;
        transient EdgeLog log;

        Append(boolean ttl) {
            this.ttl = ttl;
        }

        @Override
        public void open(OpenContext openContext) {
            expiry = NodeExpiry.of(getRuntimeContext(), "bench", ttl ? 30L * 24 * 3600 * 1000 : 0);
            log = new EdgeLog(getRuntimeContext(), "bench", expiry, 3600_000);
        }

        @Override
        public void processElement(Long nbr, Context ctx, Collector<Long> out) throws Exception {
            log.append(nbr, Action.VIEW.code(), nbr, 1f, 512);
            if (expiry != null) {
                expiry.written(ctx.timerService());
            }
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new Append(ttl)),
                        (Long v) -> Math.floorMod(v, 64L),
                        Types.LONG);
        harness.setStateBackend(
                "rocksdb".equals(backend)
                        ? new EmbeddedRocksDBStateBackend()
                        : new HashMapStateBackend());
        harness.open();
        for (long i = 0; i < 64L * degree; i++) {
            harness.processElement(i, i);
        }
        next = 64L * degree;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        harness.close();
    }

    @Benchmark
    public void append() throws Exception {
        harness.processElement(next, next++);
    }
}
