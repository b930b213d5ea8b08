package io.walkstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.config.WalkConfig;
import io.walkstream.model.Event;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.JobRunner;
import io.walkstream.testing.RandomGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests far beyond what the job can walk in time (all of them at once, with a 50 ms deadline)
 * while events are ingested: every request is still answered exactly once — walked in time, cut at
 * its deadline (timedOut, partial), or shed because it queued past its deadline before the walk
 * could start (shed, with the reason); walkers of answered requests are dropped at the steps
 * instead of flowing on; and backpressure loses no event — every step applied exactly the graph
 * updates the input implies. With an admission rate, requests beyond it are shed at once.
 */
class OverloadTest {
    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    static final RandomGraph GRAPH = new RandomGraph(7, 300, 400, 10);

    /** {@code n} requests for the graph's users, all stamped a month after it, sent at once. */
    static List<Request> atOnce(String prefix, int n) {
        long now = RandomGraph.T0 + 31 * RandomGraph.DAY;
        List<Request> load = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            load.add(Request.forUser(prefix + i, RandomGraph.user(i % 300), 10, now));
        }
        return load;
    }

    /** Live serving: requests do not wait for event time. */
    static JobConfig live() {
        JobConfig cfg = Clusters.config(StateBackend.HASHMAP);
        cfg.walk.alignment = WalkConfig.Alignment.NONE;
        return cfg;
    }

    @Test
    void overloadDegradesToPartialAnswersNeverToLostRequestsOrEvents() throws Exception {
        RandomGraph graph = GRAPH;
        int requests = 4000;
        List<Request> load = atOnce("o-", requests);

        JobConfig cfg = live();
        cfg.walk.timeoutMs = 50;
        cfg.walk.walkers = 2000;
        JobRunner.Run run = JobRunner.run(cfg, graph.events, load);

        // Every request answered, exactly once.
        assertThat(run.results()).hasSize(requests);
        Set<String> ids = run.results().stream().map(r -> r.requestId).collect(Collectors.toSet());
        assertThat(ids).hasSize(requests);
        // The deadline did its job: late answers are flagged, never silent; and accounted for.
        List<Recommendation> late = run.results().stream().filter(r -> r.timedOut).toList();
        List<Recommendation> shed = run.results().stream().filter(r -> r.shed).toList();
        assertThat(late.size() + shed.size())
                .as("the load must exceed what the job walks within the deadline")
                .isPositive();
        assertThat(late).allMatch(r -> r.partial);
        assertThat(shed)
                .allMatch(
                        r ->
                                r.partial
                                        && !r.timedOut
                                        && r.items.length == 0
                                        && r.shedReason.startsWith("queued "));
        assertThat(run.results())
                .allMatch(r -> r.timedOut || r.shed || r.arrived + r.absorbed == r.walkers);
        assertThat(run.counter("rank.answered")).isEqualTo(requests);
        assertThat(run.counter("rank.timedOut")).isEqualTo(late.size());
        assertThat(run.counter("rank.shed"))
                .isEqualTo(shed.size())
                .isEqualTo(run.counter("seed.shed"));

        // Backpressure lost no event: each step applied exactly the updates the input implies.
        long items = graph.events.stream().filter(e -> e.kind == Event.ITEM).count();
        long interactions = graph.events.size() - items;
        assertThat(run.counter("seed.updates")).isEqualTo(interactions);
        // Item: its users, its metadata, and the transition edges Seed derived from the behaviour
        // sequences.
        assertThat(run.counter("item.updates"))
                .isEqualTo(interactions + items + run.counter("seed.transitionsOut"));
        assertThat(run.counter("seed.transitionsOut")).isPositive();
        assertThat(run.counter("score.updates"))
                .isEqualTo(interactions + 2 * items); // + names and category edge
        // Context: user edges, trend counts, category edges, and every bucket move the Item step
        // sent.
        assertThat(run.counter("context.updates"))
                .isEqualTo(2 * interactions + items + run.counter("item.bucketMoves"));
        assertThat(run.counter("item.bucketMoves")).isPositive();

        Histogram latency = new Histogram(3);
        run.results().forEach(r -> latency.recordValue(Math.max(0, r.latencyMs)));
        long expired =
                run.counter("item.expired")
                        + run.counter("context.expired")
                        + run.counter("score.expired");
        System.out.printf(
                "overload: %d requests at once, 2000 walkers, 50 ms deadline: %d shed (%.0f%%), %d timed out (%.0f%%),"
                        + " %d walker messages dropped at the steps past their deadline, %d reached Rank after the answer;"
                        + " latency p50 %d ms, p99 %d ms, max %d ms%n",
                requests,
                shed.size(),
                100.0 * shed.size() / requests,
                late.size(),
                100.0 * late.size() / requests,
                expired,
                run.counter("rank.lateMessages"),
                latency.getValueAtPercentile(50),
                latency.getValueAtPercentile(99),
                latency.getMaxValue());
    }

    @Test
    void beyondTheAdmittedRateRequestsAreShedAtOnceWithTheReason() throws Exception {
        int requests = 200;
        List<Request> load = atOnce("a-", requests);

        JobConfig cfg = live();
        cfg.walk.maxRequestsPerSecond = 2; // one per second per Seed subtask, a bucket of one
        JobRunner.Run run = JobRunner.run(cfg, GRAPH.events, load);

        assertThat(run.results()).hasSize(requests);
        List<Recommendation> shed = run.results().stream().filter(r -> r.shed).toList();
        List<Recommendation> walked = run.results().stream().filter(r -> !r.shed).toList();
        assertThat(walked).as("each Seed subtask's bucket starts with one token").isNotEmpty();
        assertThat(shed)
                .as("200 requests at once are far beyond 2/s")
                .hasSizeGreaterThan(requests / 2);
        assertThat(shed)
                .allMatch(
                        r ->
                                r.items.length == 0
                                        && r.partial
                                        && r.shedReason.contains("over the admitted rate"));
        assertThat(walked)
                .allMatch(
                        r ->
                                r.shedReason == null
                                        && !r.timedOut
                                        && r.walkers > 0
                                        && r.arrived + r.absorbed == r.walkers);
        assertThat(run.counter("seed.shed"))
                .isEqualTo(shed.size())
                .isEqualTo(run.counter("rank.shed"));
    }
}
