package io.walkstream.walk;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.gen.ShopGenerator;
import io.walkstream.gen.ShopWorkload;
import io.walkstream.model.Event;
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

    /**
     * The default request against the co-engagement walk alone (the default before transition
     * edges, {@code walk.transitionShare} 0), on a shop with sessions (what users do next has a
     * shape there, unlike on the uniformly random graph): at most a quarter of the messages into
     * Score (2,849 → 503 when last measured: the transitions hop sends each seed's mass to its
     * strongest next items the user does not already have) and at most 0.6 of those into Rank (541
     * → 260: Score already merged the walk's many messages per candidate).
     */
    @Test
    void theDefaultRequestCostsAtMostAQuarterOfTheCoEngagementWalkIntoScore() throws Exception {
        JobConfig walkOnly = Clusters.config(StateBackend.HASHMAP);
        walkOnly.walk.transitionShare = 0;
        double[] before = cost(walkOnly, "co-engagement walk alone", SHOP, SHOP_REQUESTS);
        double[] now = cost(Clusters.config(StateBackend.HASHMAP), "defaults", SHOP, SHOP_REQUESTS);
        assertThat(now[2]).as("into Score").isLessThanOrEqualTo(before[2] / 4);
        assertThat(now[3]).as("into Rank").isLessThanOrEqualTo(before[3] * 0.6);
    }

    static final List<Event> SHOP = new ArrayList<>();
    static final List<Request> SHOP_REQUESTS = new ArrayList<>();

    static {
        ShopWorkload shop =
                new ShopWorkload(
                        new ShopGenerator(
                                new ShopGenerator.Params(2_000, 600, 12, 40, 1.05, 1.1, 250, 32),
                                3));
        long t = NOW - 30_000;
        for (int i = 0; i < 30_000; i++) {
            SHOP.addAll(shop.nextEvents(t + i)); // a new item's metadata before its interactions
        }
        for (int r = 0; r < 40; r++) {
            SHOP_REQUESTS.add(shop.nextRequest(NOW, 20));
        }
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
        cfg.walk.transitionShare = 0; // the co-engagement walk: walker groups through every step
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
        return cost(cfg, walkers + " walkers, lastHopFanout " + fanout);
    }

    static double[] cost(JobConfig cfg, String label) throws Exception {
        List<Request> requests = new ArrayList<>();
        for (int u = 0; u < 40; u++) {
            requests.add(Request.forUser("cost-" + u, RandomGraph.user(u), 20, NOW));
        }
        return cost(cfg, label, GRAPH.events, requests);
    }

    static double[] cost(JobConfig cfg, String label, List<Event> events, List<Request> requests)
            throws Exception {
        JobRunner.Run run = JobRunner.run(cfg, events, requests);
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
                "request cost, %s (per request): messages into item %.1f, context %.1f, score %.1f,"
                        + " rank %.1f; state reads seed %.1f, item %.1f, context %.1f%n",
                label, c[0], c[1], c[2], c[3], c[4], c[5], c[6]);
        return c;
    }
}
