package io.walkstream.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.model.Action;
import io.walkstream.model.GraphUpdate;
import io.walkstream.model.Hop;
import io.walkstream.model.NodeIds;
import io.walkstream.model.RankInput;
import io.walkstream.model.Request;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.KeyedCoProcessOperator;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

/**
 * Work for requests past their deadline is dropped at every step, and Seed sheds what it must not
 * walk — single steps in Flink's operator harness, on a processing-time clock the test sets.
 */
class StaleWorkTest {
    static final long T = 1_700_000_000_000L;
    static final long USER = NodeIds.hash("u:1");
    static final long ITEM = NodeIds.hash("i:1");

    @Test
    void theContextStepMovesWalkersInTimeAndDropsThoseOfAnsweredRequests() throws Exception {
        try (var h =
                ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                        new ContextStep(new JobConfig()),
                        (GraphUpdate u) -> u.node,
                        (Hop x) -> x.node,
                        Types.LONG)) {
            h.processElement1(
                    GraphUpdate.edge(USER, GraphUpdate.USER, ITEM, Action.VIEW, T, 1f), T);
            h.setProcessingTime(10_000);

            h.processElement2(walkers(10_000), T + 1); // due exactly now: still in time
            assertThat(h.extractOutputValues())
                    .hasSize(1)
                    .allMatch(x -> x.node == ITEM && x.deadline == 10_000);

            h.processElement2(walkers(9_999), T + 1); // its request was answered at 9,999
            assertThat(h.extractOutputValues()).as("nothing more sent").hasSize(1);
            assertThat(h.getSideOutput(Routes.TO_RANK))
                    .as("not even absorbed: Rank has answered")
                    .isNull();
        }
    }

    @Test
    void theScoreStepDropsArrivalsOfAnsweredRequests() throws Exception {
        try (var h =
                ProcessFunctionTestHarnesses.forKeyedCoProcessFunction(
                        new ScoreStep(new JobConfig()),
                        (GraphUpdate u) -> u.node,
                        (Hop x) -> x.node,
                        Types.LONG)) {
            h.setProcessingTime(10_000);
            Hop arrival = Hop.walk(7, ITEM, 1, ITEM, USER, T);
            arrival.deadline = 9_000;
            h.processElement2(arrival, T);
            assertThat(h.extractOutputValues()).isEmpty();
            arrival.deadline = 0; // no deadline (an older savepoint's walkers): always in time
            h.processElement2(arrival, T);
            assertThat(h.extractOutputValues()).hasSize(1);
        }
    }

    @Test
    void seedShedsBeyondTheAdmittedRateWithAnImmediateEmptyAnswerAndStampsTheDeadline()
            throws Exception {
        JobConfig cfg = new JobConfig();
        cfg.walk.maxRequestsPerSecond = 1; // one Seed subtask here: a bucket of one
        cfg.walk.timeoutMs = 500;
        SeedStep seed = new SeedStep(cfg);
        try (KeyedTwoInputStreamOperatorTestHarness<Long, GraphUpdate, Request, Hop> h =
                new KeyedTwoInputStreamOperatorTestHarness<>(
                        new KeyedCoProcessOperator<>(seed),
                        (GraphUpdate u) -> u.node,
                        (Request r) -> NodeIds.hash(r.seedKey()),
                        Types.LONG)) {
            h.open();
            h.processElement1(
                    GraphUpdate.edge(USER, GraphUpdate.USER, ITEM, Action.PURCHASE, T, 1f), T);
            h.setProcessingTime(20_000);
            h.processElement2(Request.forUser("walked", "u:1", 10, T + 1), T + 1);
            h.processElement2(Request.forUser("shed", "u:1", 10, T + 1), T + 1);

            List<Hop> hops = h.extractOutputValues();
            assertThat(hops)
                    .isNotEmpty()
                    .allMatch(x -> x.request == NodeIds.hash("walked") && x.deadline == 20_500);
            List<RankInput> contexts =
                    h.getSideOutput(Routes.TO_RANK).stream()
                            .map(r -> r.getValue())
                            .filter(r -> r.kind == RankInput.CONTEXT)
                            .toList();
            assertThat(contexts).hasSize(2);
            RankInput walked = contexts.get(0);
            assertThat(walked.context.shed).isNull();
            assertThat(walked.context.deadline).isEqualTo(20_500);
            RankInput shed = contexts.get(1);
            assertThat(shed.request).isEqualTo(NodeIds.hash("shed"));
            assertThat(shed.context.shed).contains("over the admitted rate");
            assertThat(shed.context.walkers).isZero();
            assertThat(shed.context.probes).isZero();
            assertThat(shed.context.trendUnits).isZero();
        }
    }

    static Hop walkers(long deadline) {
        Hop h = Hop.walk(42, USER, 5, ITEM, 0, T + 1);
        h.deadline = deadline;
        return h;
    }
}
