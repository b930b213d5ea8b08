package io.walkstream.walk;

import static io.walkstream.walk.StepHarness.side;
import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.graph.ExpiringStepOperator;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.NodeIds;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedCoProcessFunction;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * State written before node expiry, when graph state used Flink's state TTL, restores into the
 * steps and expires by their timers. The snapshots in {@code savepoints/before-node-expiry} were
 * taken from each step at commit 3f2d63f with the default configuration (a 30-day TTL), after one
 * graph update at processing time 0 ({@code <backend>-<step>.snapshot}; RocksDB: a full snapshot).
 * Here the TTL is 1 s: each restored node answers as before, then is gone once the TTL has passed
 * without a write.
 */
class ExpiryMigrationTest {
    static final long T = 1_700_000_000_000L;
    static final long RESTORED_AT = 5_000;
    static final long TTL = 1_000;

    @ParameterizedTest
    @MethodSource("io.walkstream.walk.StepHarness#backends")
    void aUsersRestoredBehaviourSeedsWalksUntilItExpires(StateBackend backend) throws Exception {
        try (var h = restore(new SeedStep(config()), SeedStepTest::key, backend, "seed")) {
            h.processElement2(SeedStepTest.request("r1", 100, T + 10), T + 10);
            assertThat(SeedStepTest.byNode(h.extractOutputValues())).containsKey(SeedStepTest.A);

            expire(h);
            h.processElement2(SeedStepTest.request("r2", 100, T + 20), T + 20);
            assertThat(h.extractOutputValues()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("io.walkstream.walk.StepHarness#backends")
    void anItemsRestoredUsersTakeWalkersUntilItExpires(StateBackend backend) throws Exception {
        try (var h = restore(new ItemStep(config()), (Hop x) -> x.node, backend, "item")) {
            long item = ItemStepTest.ITEM;
            h.processElement2(Hop.walk(request("r1"), item, 10, item, 0, T), T);
            assertThat(h.extractOutputValues()).extracting(x -> x.node).contains(ItemStepTest.U1);

            expire(h);
            h.processElement2(Hop.walk(request("r2"), item, 10, item, 0, T), T);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(side(h, Routes.TO_RANK)).extracting(r -> r.walkers).containsExactly(10);
        }
    }

    @ParameterizedTest
    @MethodSource("io.walkstream.walk.StepHarness#backends")
    void aContextsRestoredItemsTakeWalkersUntilItExpires(StateBackend backend) throws Exception {
        try (var h = restore(new ContextStep(config()), (Hop x) -> x.node, backend, "context")) {
            long user = ContextStepTest.USER;
            h.processElement2(Hop.walk(request("r1"), user, 1, ContextStepTest.SEED, 0, T), T);
            assertThat(h.extractOutputValues())
                    .extracting(x -> x.node)
                    .containsExactly(ContextStepTest.A);

            expire(h);
            h.processElement2(Hop.walk(request("r2"), user, 1, ContextStepTest.SEED, 0, T), T);
            assertThat(h.extractOutputValues()).isEmpty();
            assertThat(side(h, Routes.TO_RANK)).extracting(r -> r.walkers).containsExactly(1);
        }
    }

    @ParameterizedTest
    @MethodSource("io.walkstream.walk.StepHarness#backends")
    void anItemsRestoredFactsAreScoredUntilItExpires(StateBackend backend) throws Exception {
        try (var h = restore(new ScoreStep(config()), (Hop x) -> x.node, backend, "score")) {
            long item = ScoreStepTest.ITEM;
            long user = ScoreStepTest.USER;
            h.processElement2(Hop.walk(request("r1"), item, 1, item, user, T), T);
            assertThat(h.extractOutputValues()).extracting(r -> r.degree).containsExactly(1L);

            expire(h);
            h.processElement2(Hop.walk(request("r2"), item, 1, item, user, T), T);
            assertThat(h.extractOutputValues()).extracting(r -> r.degree).containsExactly(0L);
        }
    }

    /**
     * Once restored, the step's own snapshots say its nodes have timers (no second pass over the
     * state): restored from one, a node still expires, by the timer the first restore armed.
     */
    @ParameterizedTest
    @MethodSource("io.walkstream.walk.StepHarness#backends")
    void aSnapshotOfMigratedStateCarriesItsTimers(StateBackend backend) throws Exception {
        OperatorSubtaskState migrated;
        try (var h = restore(new ScoreStep(config()), (Hop x) -> x.node, backend, "score")) {
            migrated = h.snapshot(2, 2);
        }
        long item = ScoreStepTest.ITEM;
        long user = ScoreStepTest.USER;
        try (var h = restore(new ScoreStep(config()), (Hop x) -> x.node, backend, migrated)) {
            h.processElement2(Hop.walk(request("r1"), item, 1, item, user, T), T);
            assertThat(h.extractOutputValues()).extracting(r -> r.degree).containsExactly(1L);

            expire(h);
            h.processElement2(Hop.walk(request("r2"), item, 1, item, user, T), T);
            assertThat(h.extractOutputValues()).extracting(r -> r.degree).containsExactly(0L);
        }
    }

    static JobConfig config() {
        JobConfig cfg = new JobConfig();
        cfg.graph.stateTtlMs = TTL;
        return cfg;
    }

    static long request(String id) {
        return NodeIds.hash(id);
    }

    /**
     * The step in its operator on {@code backend}, restored from the old snapshot at processing
     * time {@link #RESTORED_AT}.
     */
    static <I, O> KeyedTwoInputStreamOperatorTestHarness<Long, GraphUpdate, I, O> restore(
            KeyedCoProcessFunction<Long, GraphUpdate, I, O> step,
            KeySelector<I, Long> key,
            StateBackend backend,
            String name)
            throws Exception {
        String kind = backend instanceof HashMapStateBackend ? "heap" : "rocksdb";
        return restore(step, key, backend, snapshot(kind + "-" + name));
    }

    static <I, O> KeyedTwoInputStreamOperatorTestHarness<Long, GraphUpdate, I, O> restore(
            KeyedCoProcessFunction<Long, GraphUpdate, I, O> step,
            KeySelector<I, Long> key,
            StateBackend backend,
            OperatorSubtaskState snapshot)
            throws Exception {
        var h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new ExpiringStepOperator<>(step),
                        (GraphUpdate u) -> u.node,
                        key,
                        Types.LONG);
        h.setStateBackend(backend);
        h.setProcessingTime(RESTORED_AT);
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    /** Past the TTL (and its rounding) since the restore, with no write in between. */
    static void expire(KeyedTwoInputStreamOperatorTestHarness<?, ?, ?, ?> h) throws Exception {
        h.getOutput().clear();
        h.setProcessingTime(RESTORED_AT + 2 * TTL);
    }

    static OperatorSubtaskState snapshot(String name) throws Exception {
        return OperatorSnapshotUtil.readStateHandle(path(name).toString());
    }

    private static Path path(String name) throws URISyntaxException {
        var url =
                ExpiryMigrationTest.class.getResource(
                        "/savepoints/before-node-expiry/" + name + ".snapshot");
        assertThat(url).as("snapshot " + name).isNotNull();
        return Path.of(url.toURI());
    }
}
