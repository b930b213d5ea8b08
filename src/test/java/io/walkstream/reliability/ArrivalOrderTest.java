package io.walkstream.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.walkstream.config.JobConfig;
import io.walkstream.config.RuntimeConfig.StateBackend;
import io.walkstream.model.Event;
import io.walkstream.model.Request;
import io.walkstream.testing.Answers;
import io.walkstream.testing.Clusters;
import io.walkstream.testing.JobRunner;
import io.walkstream.testing.SyntheticStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a restore does to the order of events, without a failure: a restored job replays a backlog,
 * and its Kafka source drains the partitions at rates of its own, so a node receives the same
 * events interleaved differently from the uninterrupted run (and later-stamped events overtake the
 * walkers of a waiting request). Under {@code walk.alignment: WATERMARK} an answer must depend only
 * on the events and requests, not on that interleaving: here the same stream arrives once in
 * event-time order and once as two "partitions" drained a window at a time, each in its own order.
 * Ring buffers are small, so eviction depends on the order edges are applied in; decayed counters
 * and vectors are float sums whose rounding does too.
 *
 * <p>The requests are stamped after the last event, as in {@code cluster-test}: a request read only
 * after the event watermark has passed its own time (its source lagging behind the event sources)
 * sees the state as of that watermark — later edges may have evicted older ones — so requests
 * interleaved with the events would make the answers depend on how fast the request source ran
 * (docs/reliability.md, "Time").
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ArrivalOrderTest {
    @RegisterExtension static final MiniClusterExtension MINI = Clusters.miniCluster();

    /**
     * 2,000 interactions, one second of event time apart; partitions are drained 40 s of event time
     * at a time.
     */
    static final SyntheticStream STREAM = new SyntheticStream(50, 60, 2000, 40);

    static final long WINDOW_MS = 40_000;

    static JobConfig config(StateBackend backend) {
        JobConfig cfg = Clusters.config(backend);
        cfg.walk.outOfOrdernessMs =
                2 * WINDOW_MS; // the reordering below stays within it: no event is late
        cfg.graph.userCapacity = 16;
        cfg.graph.itemCapacity = 32;
        cfg.graph.attributeCapacity = 48;
        cfg.graph.trendingCapacity = 8;
        return cfg;
    }

    @ParameterizedTest
    @EnumSource(StateBackend.class)
    void answersDoNotDependOnHowPartitionsInterleave(StateBackend backend) throws Exception {
        List<Event> inOrder = new ArrayList<>();
        for (long n = 0; n < STREAM.events(); n++) {
            inOrder.add(STREAM.event(n));
        }
        List<Request> requests = new ArrayList<>();
        long afterTheEvents = inOrder.get(inOrder.size() - 1).ts + 1;
        for (long n = 0; n < STREAM.requests; n++) {
            Request r = STREAM.request(n);
            r.ts = afterTheEvents + n;
            requests.add(r);
        }

        Map<String, String> ordered =
                Answers.byRequest(JobRunner.run(config(backend), inOrder, requests).results());
        Map<String, String> interleaved =
                Answers.byRequest(
                        JobRunner.run(config(backend), drainedByWindow(inOrder), requests)
                                .results());

        assertThat(ordered).hasSize(STREAM.requests);
        assertThat(interleaved.keySet()).isEqualTo(ordered.keySet());
        List<String> differing =
                ordered.keySet().stream()
                        .filter(id -> !ordered.get(id).equals(interleaved.get(id)))
                        .toList();
        assertThat(differing)
                .as("requests answered differently when the partitions interleave differently")
                .isEmpty();
    }

    /**
     * Item metadata first, then per window of event time: the events of odd users' "partition",
     * then those of even users' — each partition keeps its own order, as Kafka does.
     */
    static List<Event> drainedByWindow(List<Event> inOrder) {
        List<Event> out = new ArrayList<>();
        List<Event> even = new ArrayList<>();
        List<Event> odd = new ArrayList<>();
        long windowEnd = Long.MIN_VALUE;
        for (Event e : inOrder) {
            if (e.kind != Event.INTERACTION) {
                out.add(e);
                continue;
            }
            if (e.ts >= windowEnd) {
                out.addAll(odd);
                out.addAll(even);
                odd.clear();
                even.clear();
                windowEnd = e.ts + WINDOW_MS;
            }
            (Integer.parseInt(e.user.substring(1)) % 2 == 0 ? even : odd).add(e);
        }
        out.addAll(odd);
        out.addAll(even);
        return out;
    }
}
