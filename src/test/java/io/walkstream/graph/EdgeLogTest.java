package io.walkstream.graph;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.GraphConfig;
import io.walkstream.model.Action;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ring buffer in real Flink keyed state, on the heap and on RocksDB. */
class EdgeLogTest {
    @Test
    void readRecentCoversTheLongestTransitionWindow() {
        // GraphConfig validates graph.transitionWindow against its own constant (config sits below
        // graph).
        assertThat(EdgeLog.CHUNK).isGreaterThanOrEqualTo(GraphConfig.MAX_TRANSITION_WINDOW);
    }

    static List<StateBackend> backends() {
        return List.of(new HashMapStateBackend(), new EmbeddedRocksDBStateBackend());
    }

    /**
     * Appends the input as an edge of key (input % 3), then emits what the log holds for that key;
     * with a TTL, a key not written for it is cleared by {@link NodeExpiry}.
     */
    static final class AppendAndRead extends KeyedProcessFunction<Long, Long, long[]> {
        final int capacity;
        final long ttlMs;
        transient NodeExpiry expiry;
        transient EdgeLog log;
        transient Edges edges;

        AppendAndRead(int capacity, long ttlMs) {
            this.capacity = capacity;
            this.ttlMs = ttlMs;
        }

        @Override
        public void open(OpenContext openContext) {
            expiry = NodeExpiry.of(getRuntimeContext(), "test", ttlMs);
            log = new EdgeLog(getRuntimeContext(), "test", expiry, 100);
            edges = new Edges();
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<long[]> out)
                throws Exception {
            expiry.fired(timestamp, ctx.timerService());
        }

        @Override
        public void processElement(Long nbr, Context ctx, Collector<long[]> out) throws Exception {
            if (nbr < 0) { // a read-only probe
                NodeLog header = log.read(edges);
                out.collect(new long[] {header == null ? -1 : header.appended, edges.size});
                return;
            }
            log.append(nbr, Action.VIEW.code(), nbr * 10, 1f, capacity);
            if (expiry != null) {
                expiry.written(ctx.timerService());
            }
            NodeLog header = log.read(edges);
            long[] got = Arrays.copyOf(edges.nbr, edges.size);
            Arrays.sort(got);
            // [appended, head size, reads] then the sorted neighbours
            long[] row = new long[3 + got.length];
            row[0] = header.appended;
            row[1] = header.head.size();
            row[2] = log.lastReads();
            System.arraycopy(got, 0, row, 3, got.length);
            out.collect(row);
        }
    }

    static KeyedOneInputStreamOperatorTestHarness<Long, Long, long[]> harness(
            int capacity, StateBackend backend) throws Exception {
        return harness(capacity, 0, backend);
    }

    static KeyedOneInputStreamOperatorTestHarness<Long, Long, long[]> harness(
            int capacity, long ttlMs, StateBackend backend) throws Exception {
        var h =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        new KeyedProcessOperator<>(new AppendAndRead(capacity, ttlMs)),
                        (Long v) -> Math.floorMod(v, 3L),
                        Types.LONG);
        h.setStateBackend(backend);
        h.open();
        return h;
    }

    @ParameterizedTest
    @MethodSource("backends")
    void keepsExactlyTheMostRecentEdgesUpToCapacity(StateBackend backend) throws Exception {
        int capacity = 40; // rounds up to 48: three chunks
        try (var h = harness(capacity, backend)) {
            for (long n = 0; n < 600; n += 3) {
                h.processElement(n, n); // all on key 0
            }
            List<long[]> rows = h.extractOutputValues();
            for (int i = 0; i < rows.size(); i++) {
                long[] row = rows.get(i);
                long appended = i + 1;
                assertThat(row[0]).isEqualTo(appended);
                long held = Math.min(appended, EdgeLog.roundCapacity(capacity));
                long[] expected =
                        LongStream.range(appended - held, appended).map(k -> k * 3).toArray();
                assertThat(Arrays.copyOfRange(row, 3, row.length))
                        .as("after %d appends", appended)
                        .containsExactly(expected);
                // The value rewritten per append never holds more than one chunk; reads stay
                // bounded by capacity.
                assertThat(row[1]).isBetween(1L, (long) EdgeLog.CHUNK);
                assertThat(row[2])
                        .isLessThanOrEqualTo(1 + EdgeLog.roundCapacity(capacity) / EdgeLog.CHUNK);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void keysAreIndependent(StateBackend backend) throws Exception {
        try (var h = harness(16, backend)) {
            h.processElement(3L, 0);
            h.processElement(4L, 0);
            h.processElement(6L, 0);
            List<long[]> rows = h.extractOutputValues();
            assertThat(Arrays.copyOfRange(rows.get(1), 3, rows.get(1).length)).containsExactly(4);
            assertThat(Arrays.copyOfRange(rows.get(2), 3, rows.get(2).length))
                    .containsExactly(3, 6);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aHighDegreeNodeStillWritesOneSmallValuePerEdge(StateBackend backend) throws Exception {
        try (var h = harness(4096, backend)) {
            for (long n = 0; n < 30_000; n += 3) {
                h.processElement(n, n);
            }
            long[] last = h.extractOutputValues().get(9_999);
            assertThat(last[0]).isEqualTo(10_000);
            assertThat(last[1]).isLessThanOrEqualTo(EdgeLog.CHUNK);
            assertThat(last.length - 3).isEqualTo(4096);
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void quietNodesExpireWhileActiveOnesStay(StateBackend backend) throws Exception {
        try (var h = harness(32, 1000, backend)) {
            h.setProcessingTime(0);
            for (long n = 0; n < 60; n += 3) {
                h.processElement(n, 0); // key 0: 20 edges, two chunks
            }
            h.setProcessingTime(900);
            h.processElement(1L, 0); // key 1 written later
            h.setProcessingTime(1500);
            h.processElement(-3L, 0); // probe key 0: expired
            h.processElement(-2L, 0); // probe key 1: alive
            List<long[]> rows = h.extractOutputValues();
            assertThat(rows.get(rows.size() - 2)).containsExactly(-1, 0);
            assertThat(rows.get(rows.size() - 1)).containsExactly(1, 1);
        }
    }

    /**
     * Writes every 10 ms for 5 s under a 1 s TTL: most are not recorded (the last recorded one is
     * less than the granularity old), yet the node lives until a TTL after its last write, and not
     * much longer.
     */
    @ParameterizedTest
    @MethodSource("backends")
    void aNodeWrittenSteadilyLivesUntilATtlAfterItsLastWrite(StateBackend backend)
            throws Exception {
        try (var h = harness(32, 1000, backend)) {
            for (long t = 0; t <= 5000; t += 10) {
                h.setProcessingTime(t);
                h.processElement(3 * t, 0); // key 0
            }
            h.setProcessingTime(5999);
            h.processElement(-3L, 0); // probe key 0
            h.setProcessingTime(5000 + 1000 + 1000 / 64 + 1);
            h.processElement(-3L, 0);
            List<long[]> rows = h.extractOutputValues();
            assertThat(rows.get(rows.size() - 2)).as("a TTL after").containsExactly(501, 32);
            assertThat(rows.get(rows.size() - 1)).as("past it").containsExactly(-1, 0);
        }
    }

    @Test
    void decayedDegreeHalvesPerHalfLife() {
        NodeLog log = new NodeLog();
        log.decayedDegree = 8;
        log.lastTs = 1000;
        assertThat(log.decayedDegreeAt(1000, 100)).isEqualTo(8.0);
        assertThat(log.decayedDegreeAt(1200, 100)).isCloseTo(2.0, Offset.offset(1e-9));
    }

    /**
     * Appends each input to one key's ring of {@code capacity}, then emits its {@code m} most
     * recent neighbours, newest first.
     */
    static final class AppendAndReadRecent extends KeyedProcessFunction<Long, Long, long[]> {
        final int capacity;
        final int m;
        transient EdgeLog log;
        transient Edges edges;

        AppendAndReadRecent(int capacity, int m) {
            this.capacity = capacity;
            this.m = m;
        }

        @Override
        public void open(OpenContext openContext) {
            log = new EdgeLog(getRuntimeContext(), "recent", null, 100);
            edges = new Edges();
        }

        @Override
        public void processElement(Long nbr, Context ctx, Collector<long[]> out) throws Exception {
            log.append(nbr, Action.VIEW.code(), nbr * 10, 1f, capacity);
            log.readRecent(m, edges);
            out.collect(Arrays.copyOf(edges.nbr, edges.size));
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theMostRecentEdgesComeNewestFirstAcrossChunkBoundariesAndWraps(StateBackend backend)
            throws Exception {
        for (int capacity : new int[] {16, 48}) {
            for (int m : new int[] {1, 3, 16}) {
                var h =
                        new KeyedOneInputStreamOperatorTestHarness<>(
                                new KeyedProcessOperator<>(new AppendAndReadRecent(capacity, m)),
                                (Long v) -> 0L,
                                Types.LONG);
                h.setStateBackend(backend);
                h.open();
                for (long n = 1; n <= 100; n++) {
                    h.processElement(n, n);
                }
                List<long[]> rows = h.extractOutputValues();
                for (int n = 1; n <= 100; n++) {
                    long[] expected = new long[Math.min(m, n)];
                    for (int k = 0; k < expected.length; k++) {
                        expected[k] = n - k;
                    }
                    assertThat(rows.get(n - 1))
                            .as("capacity %d, m %d, after %d appends", capacity, m, n)
                            .containsExactly(expected);
                }
                h.close();
            }
        }
    }
}
