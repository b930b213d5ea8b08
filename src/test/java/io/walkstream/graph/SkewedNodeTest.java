package io.walkstream.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.model.Action;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.AbstractKeyedStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A skewed stream: one item receives 1,000,000 edges. Its stored edges stay at the configured
 * capacity (512 → 32 chunks of 16 plus the head), its degree counts all of them, and the number of
 * state entries it occupies is bounded — on the heap and on RocksDB; then TTL removes it entirely.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SkewedNodeTest {
    private static final Logger LOG = LoggerFactory.getLogger(SkewedNodeTest.class);
    static final int EDGES = 1_000_000;
    static final int CAPACITY = 512;
    static final long HOT = 7L;

    static List<StateBackend> backends() {
        return List.of(new HashMapStateBackend(), new EmbeddedRocksDBStateBackend());
    }

    /**
     * Appends edge n to the hot key; a negative input reads the key and emits [degree, edges
     * stored].
     */
    static final class Append extends KeyedProcessFunction<Long, Long, long[]> {
        final long ttlMs;
        transient NodeExpiry expiry;
        transient EdgeLog log;
        transient Edges edges;

        Append(long ttlMs) {
            this.ttlMs = ttlMs;
        }

        @Override
        public void open(OpenContext openContext) {
            expiry = NodeExpiry.of(getRuntimeContext(), "skew", ttlMs);
            log = new EdgeLog(getRuntimeContext(), "skew", expiry, 0);
            edges = new Edges();
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<long[]> out)
                throws Exception {
            expiry.fired(timestamp, ctx.timerService());
        }

        @Override
        public void processElement(Long n, Context ctx, Collector<long[]> out) throws Exception {
            if (n < 0) {
                NodeLog header = log.read(edges);
                out.collect(new long[] {header == null ? 0 : header.appended, edges.size});
            } else {
                log.append(n, Action.VIEW.code(), 1_000_000L + n, 1f, CAPACITY);
                expiry.written(ctx.timerService());
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aMillionEdgesOnOneNodeKeepItsStoredEdgesAtCapacityAndExpiryRemovesIt(StateBackend backend)
            throws Exception {
        long ttl = 60_000;
        try (var h =
                new KeyedOneInputStreamOperatorTestHarness<Long, Long, long[]>(
                        new KeyedProcessOperator<>(new Append(ttl)), n -> HOT, Types.LONG)) {
            h.setStateBackend(backend);
            h.setProcessingTime(0);
            h.open();
            AbstractKeyedStateBackend<?> state =
                    (AbstractKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend();
            int maxEntries = 0;
            for (int n = 0; n < EDGES; n++) {
                h.processElement((long) n, n);
                if (n % 100_000 == 99_999) {
                    maxEntries = Math.max(maxEntries, entries(state));
                }
            }
            h.processElement(-1L, 0);
            long[] read = h.extractOutputValues().get(0);
            LOG.info(
                    "{}: {} edges appended to one node, {} stored, at most {} state entries",
                    backend.getClass().getSimpleName(),
                    read[0],
                    read[1],
                    maxEntries);
            assertThat(read[0]).as("degree").isEqualTo(EDGES);
            assertThat(read[1]).as("edges stored").isEqualTo(CAPACITY);
            // RocksDB: one header value + capacity / 16 full chunks + the expiry's last write (the
            // heap backend counts one entry per state and key)
            assertThat(maxEntries)
                    .as("state entries of the hot node")
                    .isLessThanOrEqualTo(2 + CAPACITY / EdgeLog.CHUNK);

            h.setProcessingTime(2 * ttl); // written at 0 only: expired
            h.processElement(-1L, 0);
            assertThat(h.extractOutputValues().get(1)).as("after TTL").containsExactly(0, 0);
        }
    }

    static int entries(AbstractKeyedStateBackend<?> state) {
        if (state instanceof HeapKeyedStateBackend<?> heap) {
            return heap.numKeyValueStateEntries();
        }
        return ((RocksDBKeyedStateBackend<?>) state).numKeyValueStateEntries();
    }
}
