package io.walkstream.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.config.WalkConfig;
import io.walkstream.io.JsonCodec;
import io.walkstream.model.Recommendation;
import io.walkstream.model.Request;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.RandomGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Requests fed in a sliding window (at most N walking at once, the next sent when one is answered)
 * get exactly the answers they get when all walk at once after the replay: the graph no longer
 * changes once the events have ended, and END_OF_INPUT gates open on the end of the events even
 * though the windowed request source is still open.
 */
class RequestWindowTest {
    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    static final RandomGraph GRAPH = new RandomGraph(7, 150, 200, 6);

    @Test
    void windowedRequestsGetTheSameAnswersAsAllAtOnce() throws Exception {
        JobConfig cfg = Clusters.config(StateBackend.HASHMAP);
        cfg.walk.alignment = WalkConfig.Alignment.END_OF_INPUT;
        cfg.walk.walkers = 2000;
        List<Request> requests = new ArrayList<>();
        for (int u = 0; u < 30; u++) {
            // Asked at different times, some before most of the events: each sees only its past.
            requests.add(
                    Request.forUser(
                            "w-" + u,
                            RandomGraph.user(u),
                            10,
                            RandomGraph.T0 + (u + 1) * RandomGraph.DAY));
        }
        Map<String, String> all = answers(JobReplay.run(cfg, GRAPH.events, requests, 0));
        Map<String, String> windowed = answers(JobReplay.run(cfg, GRAPH.events, requests, 4));
        assertThat(all).hasSize(30);
        assertThat(windowed).isEqualTo(all);
    }

    static Map<String, String> answers(JobReplay.Answers a) {
        Map<String, String> m = new TreeMap<>();
        for (Recommendation r : a.byRequestId().values()) {
            r.latencyMs = 0;
            m.put(r.requestId, JsonCodec.writeString(r));
        }
        return m;
    }
}
