package io.walkstream.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.model.Request;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.JobRunner;
import io.walkstream.testing.RandomGraph;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What one request costs, read from the job's own counters: messages entering each step and state
 * reads. Walkers travel aggregated per (request, node, seed), so no step sees more messages than
 * there are walkers, whatever the number of walkers; and the counts grow far slower than walkers.
 */
class RequestCostTest {
    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    static final RandomGraph GRAPH = new RandomGraph(11, 400, 300, 12);
    static final long NOW = RandomGraph.T0 + 31 * RandomGraph.DAY;

    @Test
    void messagesPerStepAreBoundedByTheWalkersAndGrowSublinearly() throws Exception {
        int fanout = new JobConfig().walk.lastHopFanout;
        double[] small = cost(1_000, fanout);
        double[] large = cost(10_000, fanout);
        for (int step = 0; step < 2; step++) {
            assertThat(small[step]).isLessThanOrEqualTo(1_000);
            assertThat(large[step]).isLessThanOrEqualTo(10_000);
        }
        // The last hop spreads each walker group over up to fanout × walkers items.
        for (int step = 2; step < 4; step++) {
            assertThat(small[step]).isLessThanOrEqualTo(1_000 * fanout + 1);
            assertThat(large[step]).isLessThanOrEqualTo(10_000 * fanout + 1);
        }
        // Ten times the walkers costs far less than ten times the messages at the wide steps.
        assertThat(large[2]).isLessThan(small[2] * 5);
        assertThat(large[3]).isLessThan(small[3] * 5);
    }

    /** Without the spread (lastHopFanout 0) no step sees more messages than walkers. */
    @Test
    void withoutTheSpreadNoStepSeesMoreMessagesThanWalkers() throws Exception {
        double[] small = cost(1_000, 0);
        for (int step = 0; step < 4; step++) {
            assertThat(small[step]).isLessThanOrEqualTo(1_000);
        }
    }

    /**
     * With batching (the default) the walkers a step moves while handling one record reach each
     * downstream subtask as one record, and Rank gets one record per request from each record a
     * step handles: far fewer records than walker groups, and the same walker groups as without it.
     */
    @Test
    void batchingSendsOneRecordPerSubtaskAndRequest() throws Exception {
        JobConfig cfg = Clusters.config(StateBackend.HASHMAP);
        int p = cfg.job.parallelism;
        List<Request> requests = new ArrayList<>();
        for (int u = 0; u < 40; u++) {
            requests.add(Request.forUser("batch-" + u, RandomGraph.user(u), 20, NOW));
        }
        JobRunner.Run batched = JobRunner.run(cfg, GRAPH.events, requests);
        cfg.walk.batching = false;
        JobRunner.Run single = JobRunner.run(cfg, GRAPH.events, requests);
        assertThat(batched.results()).hasSize(40);
        double n = requests.size();
        for (String step : new String[] {"item", "context", "score"}) {
            assertThat(batched.counter(step + ".hopsIn"))
                    .as(step + " walker groups")
                    .isEqualTo(single.counter(step + ".hopsIn"));
        }
        // Seed handles one record per request: at most one batch per Item subtask.
        assertThat(batched.counter("item.batchesIn") / n).isLessThanOrEqualTo(p);
        // Each record a step handles (or each watermark that releases held walkers) fans out to at
        // most p records.
        assertThat(batched.counter("context.batchesIn"))
                .isLessThan(single.counter("context.hopsIn"));
        double scoreRecords = batched.counter("score.batchesIn") / n;
        double rankRecords = batched.counter("rank.records") / n;
        System.out.printf(
                "batching, per request: records into item %.1f, context %.1f, score %.1f, rank %.1f"
                        + " (one by one: %.1f, %.1f, %.1f, %.1f)%n",
                batched.counter("item.batchesIn") / n,
                batched.counter("context.batchesIn") / n,
                scoreRecords,
                rankRecords,
                single.counter("item.hopsIn") / n,
                single.counter("context.hopsIn") / n,
                single.counter("score.hopsIn") / n,
                single.counter("rank.records") / n);
        assertThat(scoreRecords).isLessThan(single.counter("score.hopsIn") / n / 10);
        assertThat(rankRecords).isLessThan(single.counter("rank.records") / n / 10);
    }

    /**
     * Per request: messages into Item, Context, Score, Rank; then state reads at Seed, Item,
     * Context.
     */
    static double[] cost(int walkers, int fanout) throws Exception {
        JobConfig cfg = Clusters.config(StateBackend.HASHMAP);
        cfg.walk.walkers = walkers;
        cfg.walk.maxWalkers = walkers;
        cfg.walk.lastHopFanout = fanout;
        List<Request> requests = new ArrayList<>();
        for (int u = 0; u < 40; u++) {
            requests.add(Request.forUser("cost-" + u, RandomGraph.user(u), 20, NOW));
        }
        JobRunner.Run run = JobRunner.run(cfg, GRAPH.events, requests);
        assertThat(run.results()).hasSize(40);
        double n = requests.size();
        double[] c = {
            run.counter("item.hopsIn") / n,
            run.counter("context.hopsIn") / n,
            run.counter("score.hopsIn") / n,
            run.counter("rank.inputs") / n,
            run.counter("seed.stateReads") / n,
            run.counter("item.stateReads") / n,
            run.counter("context.stateReads") / n,
        };
        System.out.printf(
                "request cost, %d walkers, lastHopFanout %d (per request): messages into item %.1f, context %.1f, score %.1f,"
                        + " rank %.1f; state reads seed %.1f, item %.1f, context %.1f%n",
                walkers, fanout, c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
        return c;
    }
}
